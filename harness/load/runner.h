#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/load/live_progress.h"
#include "harness/load/run_verdict.h"
#include "harness/load/suite_spec.h"
#include "harness/result/run_report.h"

namespace llmbench::load {

struct RunOptions {
  LiveProgress* progress = nullptr;             // the live line; null for none
  std::FILE* log = nullptr;                     // one line per finished step; null for none
  // When set, used instead of the suite's [prompts] (embedding, tests); must outlive the run.
  const PromptSource* prompts = nullptr;
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
// scenario is checked before the first request), std::system_error if the mock cannot bind.
RunOutcome run_suite(const SuiteSpec& suite, const RunOptions& options);

// The configured latency of a fixed-latency embedded mock, for efficiency ratios; empty
// when the target is a URL or the latency is random, load-dependent or overridden per request.
result::MockReference mock_reference(const SuiteSpec& suite, const ScenarioSpec& scenario);

}  // namespace llmbench::load
