#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/config/schema.h"
#include "common/config/section.h"
#include "harness/client/endpoint.h"
#include "harness/client/execution_model.h"
#include "harness/client/request_fields.h"
#include "harness/load/dataset_prompts.h"
#include "harness/load/load_plan.h"
#include "harness/load/operation.h"
#include "harness/load/prompt_source.h"
#include "harness/load/session.h"
#include "harness/load/slo_search.h"
#include "harness/load/trace_replay.h"
#include "harness/metrics/slo.h"

namespace llmbench::load {

// What a suite runs against: the embedded mock or a URL. `endpoint` carries model, API flavour
// and the *name* of the API-key variable. The embedded mock is the command layer's: it reads
// `engine` and [target.mock] from `table` with the mock's schema, starts the mock on 127.0.0.1
// and hands the runner its URL (RunOptions::embedded).
struct TargetSpec {
  bool embedded_mock = true;
  config::Section table;  // [target] as read
  harness::Endpoint endpoint;
  // Prometheus text scraped during each step (docs/metrics.md, "Server metrics"): "" = the
  // target's origin + /metrics when it answers at the start of the run, "off" = none.
  std::string metrics_url;
  std::chrono::nanoseconds metrics_interval{std::chrono::seconds(1)};
};

struct PromptSpec {
  enum class Kind : std::uint8_t { synthetic, jsonl, sharegpt, trace };
  Kind kind = Kind::synthetic;
  SyntheticPromptOptions synthetic;
  std::filesystem::path file;  // jsonl, sharegpt
  // sharegpt: read and selected when the scenario is read (bad data fails before anything runs).
  DatasetSelection selection;
  std::shared_ptr<const std::vector<DatasetEntry>> dataset;
  DatasetSummary dataset_summary;
  Trace trace;  // trace: read when the scenario is read
  // prompts.tokenizer: loaded when the scenario is read (a bad file fails before anything runs).
  std::filesystem::path tokenizer_file;
  tokenizer::TokenizerPtr tokenizer;
};

// One [[scenario]]: a measurement, possibly swept over concurrency or rate (one step per
// value and repetition).
struct ScenarioSpec {
  std::string name;
  harness::ExecutionModel mode = harness::ExecutionModel::coroutine;
  Operation operation = Operation::invoke;
  LoadPlan plan;
  std::string sweep_parameter;       // "", "concurrency" or "rate"
  std::vector<double> sweep_values;  // replaces plan.concurrency / plan.rate per step
  std::uint32_t repetitions = 1;
  // Requests per batch() call; 0 = auto (auto_batch_size). Never below the concurrency: one
  // batch() at a time could not keep more requests in flight than it holds.
  std::uint32_t batch_size = 0;
  // Fields of every request (max_tokens, min_tokens, ignore_eos, sampling, extra_body); a prompt
  // line's own fields win (harness/client/request_fields.h).
  harness::RequestFields request_fields;
  std::size_t threads = 0;  // coroutine mode: event-loop threads (0 = hardware cores)
  harness::Timeouts timeouts;
  harness::RetryPolicy retry;
  metrics::Slo slo;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> thresholds;  // for `llmbench gate`, e.g. "p99_ttft_ms < 200"
  SearchSpec search;                     // `search = {...}`: the steps are chosen while running
  // Every request as a JSON line into this file (docs/requests-export.md); "" = none.
  // Scenarios naming the same path share one file.
  std::string save_requests;
  // Multi-turn sessions (`turns`, `turn_think_time`): each slot is a session (session.h).
  SessionShape session;
};

struct SuiteSpec {
  std::string name = "suite";
  std::string source;  // the scenario file(s), or "command line"
  TargetSpec target;
  PromptSpec prompts;
  std::vector<ScenarioSpec> scenarios;
};

// A [[scenario]]'s keys, declared once (common/config/schema.h): the scenario reader, the run
// command's flags, the echo in report.json and docs/scenarios.md's key reference
// (tests/scenario/scenario_file_test.cc compares) all come from it. Keys whose meaning depends
// on others (load, concurrency, rate, warmup, ...) are declared as ruled keys, read by the
// scenario reader's cross-field rules.
const config::Schema<ScenarioSpec>& scenario_schema();

// The [target] keys, declared once (docs/scenarios.md's [target] table). `engine` and `mock`
// are the embedded mock's: declared here as ruled keys, read by the command layer.
const config::Schema<TargetSpec>& target_schema();

// The [prompts] keys, declared once, the same way (docs/scenarios.md's [prompts] table).
const config::Schema<PromptSpec>& prompts_schema();

// The resolved configuration for report.json: every setting that shaped the run, and the
// name of an API-key variable, never a key. A scenario's keys are named as in the file; its
// resolved load plan is echoed under "plan".
boost::json::object suite_config_json(const SuiteSpec& suite);

// The steps a scenario expands to, in order: its plan with each sweep value applied, times
// the repetitions. For batch, requests and warm-up requests become batch() calls (rounded up). Throws
// std::invalid_argument for a sweep value that cannot be applied.
struct PlannedStep {
  LoadPlan plan;
  double sweep_value = 0;
  int repetition = 0;
  std::uint32_t batch_size = 1;  // batch: requests per batch() call, resolved for this step
};
std::vector<PlannedStep> expand_steps(const ScenarioSpec& scenario);

// The step a `search` probes: the scenario's plan with its search parameter at `value`. For a
// search scenario expand_steps() gives the steps at the search's min and max (what is checked
// before anything runs); the runner asks for the others as the search goes.
PlannedStep search_step(const ScenarioSpec& scenario, double value);

// The batch size when none is given, for a step's plan (requests counted as requests): a
// step bounded only by its request count, without warm-up, runs them all in one batch()
// with max_concurrency = concurrency (LangChain's abatch(many, max_concurrency=C)); any other
// step runs batch() calls of 4 x concurrency, so a call's tail (in-flight requests draining
// before the next call starts) is at most a quarter of it.
std::uint32_t auto_batch_size(const LoadPlan& plan);

}  // namespace llmbench::load
