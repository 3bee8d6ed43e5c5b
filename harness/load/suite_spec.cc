#include "harness/load/suite_spec.h"

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/duration.h"
#include "harness/client/api_flavor.h"

namespace llmbench::load {

namespace json = boost::json;

namespace {

std::string duration_text(std::chrono::nanoseconds d) { return format_duration(d); }

json::object plan_json(const LoadPlan& plan) {
  json::object o;
  o["load"] = std::string(load_model_name(plan.model));
  o["concurrency"] = plan.concurrency;
  if (plan.model == LoadModel::open_loop) {
    o["rate"] = plan.rate;
    o["arrival"] = std::string(arrival_kind_name(plan.arrival));
    if (plan.arrival == ArrivalKind::trace) o["speed"] = plan.trace_speed;
    o["seed"] = plan.seed;
  }
  o["think_time"] = duration_text(plan.think_time);
  o["ramp_up"] = duration_text(plan.ramp_up);
  o["requests"] = plan.requests;
  o["duration"] = duration_text(plan.duration);
  o["warmup_requests"] = plan.warmup_requests;
  o["warmup_duration"] = duration_text(plan.warmup_duration);
  o["max_errors"] = plan.max_errors;
  return o;
}

json::object target_json(const TargetSpec& target) {
  json::object o;
  o["kind"] = target.embedded_mock ? "mock" : "url";
  if (!target.embedded_mock) o["url"] = target.endpoint.base_url;
  o["model"] = target.endpoint.model;
  o["api"] = std::string(harness::api_flavor_name(target.endpoint.flavor));
  // Only the variable's name: the key itself never enters a report.
  if (!target.endpoint.api_key_env.empty()) o["api_key_env"] = target.endpoint.api_key_env;
  if (!target.embedded_mock) o["verify_tls"] = target.endpoint.verify_tls;
  if (!target.endpoint.ca_file.empty()) o["ca_file"] = target.endpoint.ca_file;
  // Only when set: where the server's metrics were read from is not part of the workload.
  if (!target.metrics_url.empty()) o["metrics_url"] = target.metrics_url;
  if (target.metrics_interval != std::chrono::seconds(1)) o["metrics_interval"] = duration_text(target.metrics_interval);
  return o;
}

using S = ScenarioSpec;

// A key whose member is a std::optional: unset means not sent, echoed as null.
template <typename V, typename Get, typename Read>
config::Field<S> optional_field(std::string_view key, std::string type, Get get, Read read, std::string_view doc) {
  return {key, std::move(type), doc, [=](S& o, const toml::node& n) { std::invoke(get, o) = read(n); },
          [=](const S& o) {
            const auto& v = config::member(get, o);
            return v ? json::value(*v) : json::value(nullptr);
          },
          true, {}, config::FlagForm::value, "VALUE"};
}

double bounded_number(const toml::node& node, double max) {
  const double v = config::read_number(node, 0.0);
  if (v > max) throw config::Invalid("", "must be at most " + config::fmt_number(max));
  return v;
}

// The plan's members, for fields whose echo is the resolved plan's (under "plan").
template <typename M>
auto in_plan(M LoadPlan::*m) {
  return [m](S& s) -> M& { return s.plan.*m; };
}

config::Schema<S> make_scenario_schema() {
  using config::with_flag;
  const auto quiet = [](config::Field<S> f) {  // echoed in "plan", the resolved load plan
    f.echoed = false;
    return f;
  };
  const auto only = [](bool applies, json::value v) { return applies ? v : json::value(nullptr); };
  config::Schema<S> s;
  s.fields = {
      config::ruled<S>("name", "string, unique", "default `scenario-N`", [](const S& x) { return json::value(x.name); }),
      with_flag(config::choice<S>("mode", &S::mode,
                                  {{"sync", harness::ExecutionModel::sync},
                                   {"threaded", harness::ExecutionModel::threaded},
                                   {"coroutine", harness::ExecutionModel::coroutine}},
                                  "execution model (docs/clients.md); `sync` runs one request at a time"),
                "--mode"),
      with_flag(config::choice<S>("operation", &S::operation,
                                  {{"invoke", Operation::invoke}, {"stream", Operation::stream}, {"batch", Operation::batch}},
                                  "`batch`: each slot is one batch() call of `batch_size` requests; closed loop only"),
                "--op"),
      config::ruled<S>("load", "`closed` | `open`", "`open` if `rate` is set, else `closed`"),
      with_flag(config::ruled<S>("concurrency", "integer or list",
                                 "closed loop: virtual users (default 1); open loop: cap on requests in flight (default 0 = "
                                 "uncapped, coroutine mode only); a list is a sweep: `[1, 8, 64]`"),
                "--concurrency", "INT"),
      with_flag(config::ruled<S>("rate", "number > 0 or list", "open loop: arrivals per second; a list is a sweep"),
                "--rate", "FLOAT"),
      with_flag(quiet(config::choice<S>("arrival", in_plan(&LoadPlan::arrival),
                                        {{"constant", ArrivalKind::constant},
                                         {"poisson", ArrivalKind::poisson},
                                         {"trace", ArrivalKind::trace}},
                                        "open loop only; `trace`: the timestamps of `[prompts] source = \"trace\"`")),
                "--arrival"),
      quiet(config::number<S>("speed", in_plan(&LoadPlan::trace_speed), 0.001,
                              "arrival = trace: replay at this many times real time (2 = twice as fast)")),
      quiet(config::integer<S>("seed", in_plan(&LoadPlan::seed), 0, std::numeric_limits<std::int64_t>::max(),
                               "Poisson arrivals (equal seeds, equal schedules)")),
      quiet(config::duration<S>("think_time", in_plan(&LoadPlan::think_time), false,
                                "closed loop: pause of a user between its requests (with `turns`: between its sessions)")),
      quiet(config::duration<S>("ramp_up", in_plan(&LoadPlan::ramp_up), false,
                                "closed: users start spread over it; open: the rate rises linearly from 0")),
      with_flag(quiet(config::integer<S>("requests", in_plan(&LoadPlan::requests), 1,
                                         std::numeric_limits<std::int64_t>::max(),
                                         "measured requests (give `requests`, `duration` or both); warm-up comes on top")),
                "--requests"),
      with_flag(quiet(config::duration<S>("duration", in_plan(&LoadPlan::duration), true,
                                          "measured time after the warm-up (first of `requests` and `duration` wins)")),
                "--duration"),
      with_flag(config::ruled<S>("warmup", "integer >= 0 or duration",
                                 "`warmup = 20` (first 20 slots) or `warmup = \"2s\"`; excluded from results"),
                "--warmup", "INT|DURATION"),
      quiet(config::integer<S>("max_errors", in_plan(&LoadPlan::max_errors), 0, std::numeric_limits<std::int64_t>::max(),
                               "stop the run as failed (exit 1) at this many failed requests (0 = no limit)")),
      config::duration<S>("connect_timeout", [](S& x) -> auto& { return x.timeouts.connect; }, true, "per attempt"),
      config::duration<S>("first_token_timeout", [](S& x) -> auto& { return x.timeouts.first_token; }, true,
                          "start to first content token"),
      config::duration<S>("timeout", [](S& x) -> auto& { return x.timeouts.total; }, true, "whole request, per attempt"),
      config::integer<S>("retries", [](S& x) -> auto& { return x.retry.max_retries; }, 0, 100,
                         "retries after 429/5xx/connect errors, honouring `retry-after`"),
      config::duration<S>("retry_backoff", [](S& x) -> auto& { return x.retry.initial_backoff; }, true,
                          "first backoff (doubles, with jitter)"),
      with_flag(config::integer<S>("batch_size", &S::batch_size, 1, 1'000'000,
                                   "requests per batch() call, never below `concurrency` (0 in the echo: auto)"),
                "--batch-size"),
      with_flag(config::integer<S>("max_tokens", [](S& x) -> auto& { return x.request_fields.max_tokens; }, 1,
                                   10'000'000, "`max_tokens` of every request (0 in the echo: the server's default)"),
                "--max-tokens"),
      with_flag(config::integer<S>("threads", &S::threads, 0, 1024, "coroutine mode: event-loop threads (0 = cores)"),
                "--threads"),
      config::integer<S>("repetitions", &S::repetitions, 1, 1000, "run each step this many times"),
      config::ruled<S>("slo", "table", "`{ ttft_ms = 200, tpot_ms = 50, e2e_ms = 2000 }`; goodput counts requests within all",
                       [](const S& x) {
                         json::object slo;
                         if (x.slo.ttft_ms) slo["ttft_ms"] = *x.slo.ttft_ms;
                         if (x.slo.tpot_ms) slo["tpot_ms"] = *x.slo.tpot_ms;
                         if (x.slo.e2e_ms) slo["e2e_ms"] = *x.slo.e2e_ms;
                         return json::value(std::move(slo));
                       }),
      config::ruled<S>("search", "table",
                       "find the highest load meeting `slo`: `{ parameter = \"concurrency\" | \"rate\", min = 1, max = "
                       "1024, attainment = 0.95, precision = 0.1, max_probes = 16 }`; each probe is one step of this "
                       "plan; see \"Finding the highest load that meets an SLO\"",
                       [](const S& x) {
                         if (!x.search.enabled) return json::value(nullptr);
                         return json::value(json::object{{"parameter", x.search.parameter},
                                                         {"min", x.search.min},
                                                         {"max", x.search.max},
                                                         {"attainment", x.search.attainment},
                                                         {"precision", x.search.precision},
                                                         {"max_probes", x.search.max_probes}});
                       }),
      config::ruled<S>("headers", "table of string/number", "sent with every request, e.g. `{ \"x-mock-ttft-ms\" = 100 }`",
                       [](const S& x) {
                         json::object headers;
                         for (const auto& [name, value] : x.headers) headers[name] = value;
                         return json::value(std::move(headers));
                       }),
      config::ruled<S>("thresholds", "array of strings", "for `llmbench gate`, e.g. `[\"p99_ttft_ms < 200\"]`; checked when read",
                       [](const S& x) {
                         json::array thresholds;
                         for (const auto& t : x.thresholds) thresholds.push_back(json::string(t));
                         return json::value(std::move(thresholds));
                       }),
      // Request fields (docs/scenarios.md "Request fields"); a prompt line's own fields win.
      with_flag(config::integer<S>("min_tokens", [](S& x) -> auto& { return x.request_fields.min_tokens; }, 1,
                                   10'000'000, "vLLM's `min_tokens`: no end of sequence before this many tokens "
                                   "(0 in the echo: not sent)"),
                "--min-tokens"),
      with_flag(optional_field<bool>("ignore_eos", "bool", [](S& x) -> auto& { return x.request_fields.ignore_eos; },
                                     [](const toml::node& n) { return config::read_bool(n); },
                                     "vLLM's `ignore_eos`: generate until `max_tokens` (pins the output length); default: not sent"),
                "--ignore-eos", "BOOL"),
      optional_field<double>("temperature", "number 0-2", [](S& x) -> auto& { return x.request_fields.temperature; },
                             [](const toml::node& n) { return bounded_number(n, 2.0); }, "sampling temperature; default: not sent"),
      optional_field<double>("top_p", "number 0-1", [](S& x) -> auto& { return x.request_fields.top_p; },
                             [](const toml::node& n) { return bounded_number(n, 1.0); }, "nucleus sampling; default: not sent"),
      optional_field<std::uint64_t>(
          "request_seed", "integer >= 0", [](S& x) -> auto& { return x.request_fields.seed; },
          [](const toml::node& n) {
            return static_cast<std::uint64_t>(config::read_integer(n, 0, std::numeric_limits<std::int64_t>::max()));
          },
          "sent as every request's `seed` (sampling; `seed` is the arrivals'); default: not sent"),
      config::ruled<S>("extra_body", "table",
                       "merged into every request body, deep, its keys winning: `{ repetition_penalty = 1.1 }`",
                       [](const S& x) {
                         return x.request_fields.extra_body ? json::value(*x.request_fields.extra_body)
                                                            : json::value(json::object());
                       }),
      with_flag(config::text<S>("save_requests", &S::save_requests,
                                "write every request as a JSON line to this file (docs/requests-export.md); relative "
                                "to the working directory; scenarios naming one file share it"),
                "--save-requests", "PATH"),
      config::distribution<S>("turns", [](S& x) -> auto& { return x.session.turns; }, false,
                              "multi-turn sessions: requests per session, e.g. `4` or `\"uniform(2,6)\"` (at most "
                              "1000); turn k sends the history (earlier prompts and the server's replies) and a new "
                              "message; a slot is then a session: `requests`, a warm-up in requests and `rate` count "
                              "sessions"),
      config::distribution<S>("turn_think_time", [](S& x) -> auto& { return x.session.think_time; }, true,
                              "multi-turn sessions: pause from a reply to the session's next turn, e.g. `\"2s\"` or "
                              "`\"exponential(1s)\"`; the turn's intended start (latency counts from it)"),
  };
  // Shown only where they apply, as before.
  for (auto& f : s.fields) {
    if (f.key == "batch_size") f.show = [show = f.show, only](const S& x) { return only(x.operation == Operation::batch, show(x)); };
    if (f.key == "threads") f.show = [show = f.show, only](const S& x) { return only(x.mode == harness::ExecutionModel::coroutine, show(x)); };
  }
  return s;
}

config::Schema<TargetSpec> make_target_schema() {
  using T = TargetSpec;
  using config::with_flag;
  config::Schema<T> s;
  s.fields = {
      config::ruled<T>("kind", "`mock` | `url`", "`url` if `url` is set, else `mock` (the embedded mock)"),
      with_flag(config::ruled<T>("url", "string (http:// or https://)",
                                 "base URL without the endpoint path, which llmbench appends (`/v1/chat/completions`, "
                                 "`/api/chat`): a URL ending in one is refused when read, with the base URL to use"),
                "--target", "URL", config::FlagForm::text),
      with_flag(config::text<T>("model", [](T& t) -> auto& { return t.endpoint.model; },
                      "model name (required for a URL target; default `mock-model`)"),
      "--model"),
      with_flag(config::choice<T>("api", [](T& t) -> auto& { return t.endpoint.flavor; },
                        {{"openai", harness::ApiFlavor::openai_chat}, {"ollama", harness::ApiFlavor::ollama_chat},
                         {"openai_completions", harness::ApiFlavor::openai_completions},
                         {"anthropic_messages", harness::ApiFlavor::anthropic_messages},
                         {"openai_responses", harness::ApiFlavor::openai_responses}},
                        "`ollama`: NDJSON `/api/chat`; `openai_completions`: legacy `/v1/completions`; "
                        "`anthropic_messages`: `/v1/messages` (key in `x-api-key`, `anthropic-version` sent); "
                        "`openai_responses`: `/v1/responses`"),
      "--api"),
      with_flag(config::text<T>("api_key_env", [](T& t) -> auto& { return t.endpoint.api_key_env; },
                      "the *name* of the variable holding the API key, sent as `Authorization: Bearer` (`x-api-key` for "
                      "`anthropic_messages`; none: no key header); the key is never written anywhere"),
      "--api-key-env", "VAR"),
      config::boolean<T>("include_usage", [](T& t) -> auto& { return t.endpoint.include_usage; },
                         "ask OpenAI streams for a usage chunk"),
      config::boolean<T>("verify_tls", [](T& t) -> auto& { return t.endpoint.verify_tls; },
                         "verify an https target's certificate chain and host name; `false` accepts any certificate"),
      config::ruled<T>("ca_file", "path",
                       "PEM bundle to verify the target with instead of the system store; relative to the scenario "
                       "file; url targets only"),
      with_flag(config::ruled<T>("engine", "`asio` | `httplib`", "the embedded mock's server engine (default `asio`)"),
                "--engine", "NAME", config::FlagForm::text),
      config::ruled<T>("mock", "table",
                       "the embedded mock's profile: the keys of docs/mock.md, errors naming `target.mock.KEY`; it "
                       "always listens on 127.0.0.1 with a free port; its `api_key_env` is the client's too unless "
                       "`api_key_env` names another"),
      with_flag(config::text<T>("metrics_url", &T::metrics_url,
                                "Prometheus text scraped during each step (docs/metrics.md, \"Server metrics\"); unset: "
                                "the target's `/metrics` if it answers when the run starts; `off`: none; a URL that "
                                "does not answer is an error before measuring"),
                "--metrics-url", "URL"),
      config::duration<T>("metrics_interval", &T::metrics_interval, true, "time between two scrapes of `metrics_url`"),
  };
  return s;
}

config::Schema<PromptSpec> make_prompts_schema() {
  using P = PromptSpec;
  config::Schema<P> s;
  s.fields = {
      config::ruled<P>("source", "`synthetic` | `jsonl` | `sharegpt` | `trace`",
                       "`jsonl` if `file` is set, else `synthetic`; `sharegpt`: a conversation dataset (first human turn "
                       "as the prompt, its reply's length as max_tokens); `trace`: a Mooncake request trace, replayed "
                       "by `arrival = \"trace\"`"),
      config::ruled<P>("file", "path", "JSONL prompts relative to the scenario file, one `{\"prompt\": ...}` or "
                       "`{\"messages\": [...]}` per line, used round-robin; bad lines are errors naming file:line; "
                       "sharegpt: the dataset, a JSON array or JSONL of `{\"conversations\": [...]}` records"),
      config::ruled<P>("distribution", "distribution, or a kind name",
                       "synthetic prompt length in tokens (~ words), in the syntax of every random quantity: "
                       "`\"normal(128,20)\"`, `\"uniform(16,64)\"`, `\"300\"`; the older bare name (`normal`) takes "
                       "`mean` and `stddev`, or `min` and `max` for `uniform` (default: fixed 128)"),
      config::ruled<P>("mean", "number > 0", "with a bare distribution name (default 128)"),
      config::ruled<P>("stddev", "number >= 0", "with a bare `normal` or `lognormal`"),
      config::integer<P>("min", [](P& p) -> auto& { return p.synthetic.prompt_tokens.min; }, 1, 1 << 24,
                         "lengths are clamped to [min, max]; the bounds of a bare `uniform`"),
      config::integer<P>("max", [](P& p) -> auto& { return p.synthetic.prompt_tokens.max; }, 1, 1 << 24,
                         "see `min`"),
      config::integer<P>("seed", [](P& p) -> auto& { return p.synthetic.seed; }, 0,
                         std::numeric_limits<std::int64_t>::max(),
                         "the same seed and request index give the same prompt in every mode"),
      config::text<P>("system", [](P& p) -> auto& { return p.synthetic.system_prompt; },
                      "a system message before every prompt"),
      config::integer<P>("prefix_tokens", [](P& p) -> auto& { return p.synthetic.prefix_tokens; }, 0, 1 << 24,
                         "synthetic: a shared document of this many tokens opens the prompts (prefix-cache workloads; "
                         "0 = none); the drawn length follows it"),
      config::integer<P>("prefixes", [](P& p) -> auto& { return p.synthetic.prefixes; }, 1, 1 << 20,
                         "synthetic: distinct shared prefixes, each request picks one uniformly"),
      config::number<P>("prefix_share", [](P& p) -> auto& { return p.synthetic.prefix_share; }, 0,
                        "synthetic: the share of requests (0 to 1) that start with a shared prefix"),
      config::ruled<P>("sample", "integer >= 1",
                       "sharegpt, jsonl: draw this many conversations (prompt lines) with `seed` (default: all, in file order)"),
      config::boolean<P>("replacement", [](P& p) -> auto& { return p.selection.replacement; },
                         "sharegpt, jsonl: sample with replacement (a record may repeat)"),
      config::integer<P>("min_prompt_tokens", [](P& p) -> auto& { return p.selection.min_prompt_tokens; }, 0, 1 << 24,
                         "sharegpt, jsonl: skip records whose prompt is shorter (tokens: the tokenizer's, else estimated)"),
      config::integer<P>("max_prompt_tokens", [](P& p) -> auto& { return p.selection.max_prompt_tokens; }, 0, 1 << 24,
                         "sharegpt, jsonl: skip longer prompts (0 = no limit)"),
      config::integer<P>("max_output_tokens", [](P& p) -> auto& { return p.selection.max_output_tokens; }, 0, 1 << 24,
                         "sharegpt: skip conversations whose reply is longer; jsonl: lines whose `max_tokens` is larger (a line without one is kept) (0 = no limit)"),
      config::ruled<P>("tokenizer", "path",
                       "the model's tokenizer, relative to the scenario file: a Hugging Face `tokenizer.json` "
                       "(byte-level BPE: Llama 3, Qwen 2, GPT-style) or a SentencePiece `.model`; synthetic prompts "
                       "then have exactly the drawn number of tokens, and prompt tokens are counted with it "
                       "instead of estimated"),
  };
  return s;
}

json::object scenario_json(const ScenarioSpec& s) {
  json::object o = config::echo(scenario_schema(), s);
  o["plan"] = plan_json(s.plan);
  if (!s.sweep_parameter.empty() && !s.search.enabled) {
    o["sweep_parameter"] = s.sweep_parameter;
    json::array values;
    for (double v : s.sweep_values) values.push_back(v);
    o["sweep_values"] = std::move(values);
  }
  return o;
}

// A prompt file's record selection, as the scenario keys name it.
void echo_selection(const DatasetSelection& s, json::object& prompts) {
  if (s.sample) prompts["sample"] = *s.sample;
  prompts["replacement"] = s.replacement;
  prompts["seed"] = s.seed;
  prompts["min_prompt_tokens"] = s.min_prompt_tokens;
  prompts["max_prompt_tokens"] = s.max_prompt_tokens;
  prompts["max_output_tokens"] = s.max_output_tokens;
}

}  // namespace

const config::Schema<ScenarioSpec>& scenario_schema() {
  static const config::Schema<ScenarioSpec> schema = make_scenario_schema();
  return schema;
}

const config::Schema<TargetSpec>& target_schema() {
  static const config::Schema<TargetSpec> schema = make_target_schema();
  return schema;
}

const config::Schema<PromptSpec>& prompts_schema() {
  static const config::Schema<PromptSpec> schema = make_prompts_schema();
  return schema;
}

json::object suite_config_json(const SuiteSpec& suite) {
  json::object o;
  o["name"] = suite.name;
  o["source"] = suite.source;
  o["target"] = target_json(suite.target);
  json::object prompts;
  if (suite.prompts.kind == PromptSpec::Kind::sharegpt) {
    prompts["kind"] = "sharegpt";
    prompts["file"] = suite.prompts.file.string();
    echo_selection(suite.prompts.selection, prompts);
  } else if (suite.prompts.kind == PromptSpec::Kind::trace) {
    prompts["kind"] = "trace";
    prompts["file"] = suite.prompts.file.string();
    prompts["seed"] = suite.prompts.synthetic.seed;
  } else if (suite.prompts.kind == PromptSpec::Kind::jsonl) {
    prompts["kind"] = "jsonl";
    prompts["file"] = suite.prompts.file.string();
    // Only when used, so a plain prompt file's configuration hash stays what it was.
    if (const DatasetSelection& s = suite.prompts.selection; s.active() || s.replacement) echo_selection(s, prompts);
  } else {
    const auto& d = suite.prompts.synthetic.prompt_tokens;
    prompts["kind"] = "synthetic";
    prompts["distribution"] = std::string(distribution_kind_name(d.shape.kind));
    prompts["mean"] = d.shape.mean();
    prompts["stddev"] = d.shape.kind == Distribution::Kind::uniform ? 0.0 : d.shape.b;
    prompts["min"] = d.min;
    prompts["max"] = d.max;
    prompts["seed"] = suite.prompts.synthetic.seed;
    if (const auto& s = suite.prompts.synthetic; s.prefix_tokens > 0) {
      prompts["prefix_tokens"] = s.prefix_tokens;
      prompts["prefixes"] = s.prefixes;
      prompts["prefix_share"] = s.prefix_share;
    }
  }
  if (suite.prompts.tokenizer) prompts["tokenizer"] = suite.prompts.tokenizer_file.string();
  o["prompts"] = std::move(prompts);
  json::array scenarios;
  for (const auto& s : suite.scenarios) scenarios.push_back(scenario_json(s));
  o["scenarios"] = std::move(scenarios);
  return o;
}

std::vector<PlannedStep> expand_steps(const ScenarioSpec& scenario) {
  std::vector<PlannedStep> steps;
  const std::vector<double> values =
      scenario.sweep_parameter.empty() ? std::vector<double>{0.0} : scenario.sweep_values;
  for (const double value : values) {
    LoadPlan plan = scenario.plan;
    if (scenario.sweep_parameter == "concurrency") {
      if (!(value >= 0) || value != std::floor(value) || value > 1e6) {
        throw std::invalid_argument("concurrency: sweep values must be whole numbers");
      }
      plan.concurrency = static_cast<std::uint32_t>(value);
    } else if (scenario.sweep_parameter == "rate") {
      plan.rate = value;
    } else if (!scenario.sweep_parameter.empty()) {
      throw std::invalid_argument("sweep: unknown parameter '" + scenario.sweep_parameter + "'");
    }
    std::uint32_t batch_size = 1;
    if (scenario.operation == Operation::batch) {
      batch_size = scenario.batch_size > 0 ? scenario.batch_size : auto_batch_size(plan);
      // Users count requests; the schedule counts batch() calls. Rounded up to whole batches.
      const auto to_batches = [&](std::uint64_t n) { return (n + batch_size - 1) / batch_size; };
      plan.requests = to_batches(plan.requests);
      plan.warmup_requests = to_batches(plan.warmup_requests);
    }
    validate_load_plan(plan);
    for (std::uint32_t r = 0; r < std::max<std::uint32_t>(1, scenario.repetitions); ++r) {
      PlannedStep step{plan, scenario.sweep_parameter.empty() ? 0.0 : value, static_cast<int>(r)};
      step.batch_size = batch_size;
      steps.push_back(step);
    }
  }
  return steps;
}

PlannedStep search_step(const ScenarioSpec& scenario, double value) {
  ScenarioSpec probe = scenario;
  probe.search.enabled = false;
  probe.sweep_parameter = scenario.search.parameter;
  probe.sweep_values = {value};
  probe.repetitions = 1;
  return expand_steps(probe).front();
}

std::uint32_t auto_batch_size(const LoadPlan& plan) {
  const std::uint64_t users = std::max<std::uint32_t>(1, plan.concurrency);
  std::uint64_t size = 4 * users;
  if (plan.requests > 0 && plan.duration.count() <= 0 && plan.warmup_requests == 0 &&
      plan.warmup_duration.count() <= 0) {
    size = std::max<std::uint64_t>(users, plan.requests);
  }
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(size, 1'000'000));
}

}  // namespace llmbench::load
