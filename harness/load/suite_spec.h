#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "harness/client/endpoint.h"
#include "harness/client/execution_model.h"
#include "harness/load/load_plan.h"
#include "harness/load/operation.h"
#include "harness/load/prompt_source.h"
#include "harness/metrics/slo.h"
#include "mock_provider/mock_config.h"
#include "mock_provider/mock_server.h"

namespace llmbench::load {

// What a suite runs against: the embedded mock (started in-process on 127.0.0.1, port 0,
// from `mock`) or a URL. `endpoint` carries model, API flavour and the *name* of the API-key
// variable; for the embedded mock its base_url is filled in when the mock starts.
struct TargetSpec {
  bool embedded_mock = true;
  mock::MockConfig mock;
  mock::EngineKind mock_engine = mock::EngineKind::asio;
  harness::Endpoint endpoint;
};

struct PromptSpec {
  enum class Kind : std::uint8_t { synthetic, jsonl };
  Kind kind = Kind::synthetic;
  SyntheticPromptOptions synthetic;
  std::filesystem::path file;  // jsonl
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
  std::uint32_t max_tokens = 0;
  std::size_t threads = 0;  // coroutine mode: event-loop threads (0 = hardware cores)
  harness::Timeouts timeouts;
  harness::RetryPolicy retry;
  metrics::Slo slo;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> thresholds;  // for `llmbench gate`, e.g. "p99_ttft_ms < 200"
};

struct SuiteSpec {
  std::string name = "suite";
  std::string source;  // the scenario file(s), or "command line"
  TargetSpec target;
  PromptSpec prompts;
  std::vector<ScenarioSpec> scenarios;
};

// The resolved configuration for report.json: every setting that shaped the run, and the
// name of an API-key variable, never a key.
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

// The batch size when none is given, for a step's plan (requests counted as requests): a
// step bounded only by its request count, without warm-up, runs them all in one batch()
// with max_concurrency = concurrency (LangChain's abatch(many, max_concurrency=C)); any other
// step runs batch() calls of 4 x concurrency, so a call's tail (in-flight requests draining
// before the next call starts) is at most a quarter of it.
std::uint32_t auto_batch_size(const LoadPlan& plan);

}  // namespace llmbench::load
