#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/load/live_progress.h"
#include "harness/load/suite_spec.h"
#include "harness/result/run_report.h"

namespace llmbench::load {

struct RunOptions {
  std::filesystem::path out_dir;                // empty: write nothing
  std::vector<std::string> formats = {"json"};  // reports/report_writer.h names
  LiveProgress* progress = nullptr;             // the live line; null for none
  std::FILE* log = nullptr;                     // one line per finished step; null for none
  // When set, used instead of the suite's [prompts] (embedding, tests); must outlive the run.
  const PromptSource* prompts = nullptr;
};

struct RunOutcome {
  result::RunReport report;
  int exit_code = 0;  // kExitOk, kExitRunFailed (max errors), kExitInterrupted
  // Per step, the delivered send rate and schedule lag of open-loop steps, for the summary.
  std::vector<std::string> notes;
};

// Runs every scenario of the suite in order against its target, fills the RunReport and
// writes the reports into out_dir (also after Ctrl-C, marked interrupted, and after a
// max-error stop). Stops the suite at the first interrupted or failed step.
// Throws llmbench::InputError for settings no driver can run (nothing has run then: every
// scenario is checked before the first request), std::system_error if the mock cannot bind.
RunOutcome run_suite(const SuiteSpec& suite, const RunOptions& options);

// The configured latency of a fixed-latency embedded mock, for efficiency ratios; empty
// when the target is a URL or the latency is random, load-dependent or overridden per request.
result::MockReference mock_reference(const SuiteSpec& suite, const ScenarioSpec& scenario);

}  // namespace llmbench::load
