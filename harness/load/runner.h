#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/load/live_progress.h"
#include "harness/load/shard.h"
#include "harness/load/run_verdict.h"
#include "harness/load/suite_spec.h"
#include "harness/result/run_report.h"

namespace llmbench::load {

// A target whose latency is configured, not measured (the embedded mock with fixed TTFT, ITL and
// output length), for efficiency ratios. Given by the command layer, which knows the mock.
struct KnownLatency {
  double ttft_ns = 0;
  double itl_ns = 0;
  double output_tokens = 0;
};

// The embedded mock as the command layer started it: where it listens, its settings for
// report.json (config.target.mock), and its latency when that is fixed.
struct EmbeddedTarget {
  std::string base_url;
  boost::json::object echo;
  std::optional<KnownLatency> latency;
};

struct RunOptions {
  LiveProgress* progress = nullptr;             // the live line; null for none
  std::FILE* log = nullptr;                     // one line per finished step; null for none
  // When set, used instead of the suite's [prompts] (embedding, tests); must outlive the run.
  const PromptSource* prompts = nullptr;
  // Required when the suite's target is the embedded mock; ignored for a URL target.
  std::optional<EmbeddedTarget> embedded;
  // This process's part of every step (--shard, docs/distributed.md); the report's concurrency
  // and target rate are then its part, so merged shard reports add up to the global figures.
  Shard shard;
};

struct RunOutcome {
  result::RunReport report;
  // kExitOk; kExitRunFailed after a max-error stop or when a step had requests and no success
  // (see `unsuccessful`); kExitInterrupted, which wins over both.
  int exit_code = 0;
  // The first step that issued requests and had no successful one; the caller says so on stderr.
  std::optional<UnsuccessfulStep> unsuccessful;
  // Per step, the delivered send rate and schedule lag of open-loop steps, for the summary.
  std::vector<std::string> notes;
};

// Runs every scenario of the suite in order against its target and fills the RunReport, also
// after Ctrl-C (marked interrupted), after a max-error stop, and when no request succeeded;
// the caller (cli/run_command.cc) renders and writes it. Stops the suite at the first interrupted or
// max-error step; a step without successes does not stop it, but fails the run.
// Throws llmbench::InputError for settings no driver can run (nothing has run then: every
// scenario is checked before the first request, and a mock target without `embedded`).
RunOutcome run_suite(const SuiteSpec& suite, const RunOptions& options);

// The reference latencies of a scenario against a target of known latency, for efficiency
// ratios; empty when the latency is unknown or overridden per request (x-mock-* headers).
result::MockReference mock_reference(const std::optional<KnownLatency>& latency, const ScenarioSpec& scenario);

}  // namespace llmbench::load
