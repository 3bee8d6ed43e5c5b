// llmbench gate: pass/fail thresholds for CI (exit 0 pass, 3 fail, 2 usage or input error).
#include <fmt/format.h>

#include "cli/command_registry.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "reports/gate.h"

namespace llmbench::cli {
namespace {

struct GateArgs {
  std::string current;
  std::string baseline;
  std::vector<std::string> thresholds;
  double alpha = 0.05;
  std::string junit;
  std::string markdown;
};

CommandRunner setup_gate(CLI::App& app) {
  auto args = std::make_shared<GateArgs>();
  app.add_option("CURRENT", args->current, "The report.json to judge")->required();
  app.add_option("--baseline", args->baseline, "Baseline report.json for relative thresholds");
  app.add_option("--threshold", args->thresholds,
                 "METRIC OP VALUE, repeatable: 'p99_ttft_ms < 200', 'error_rate < 0.1%' (absolute), "
                 "'throughput >= -5%', 'p99_e2e <= +10%' (signed: relative to --baseline)");
  app.add_option(
         "--alpha", args->alpha,
         "Significance level: with repetitions, a relative failure must also be significant (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--junit", args->junit, "Write the checks as JUnit XML to this file");
  app.add_option("--markdown", args->markdown,
                 "Write the checks as Markdown to this file (e.g. $GITHUB_STEP_SUMMARY)");
  app.footer(
      "Without --threshold: the report's config.gate.thresholds, else with --baseline the defaults "
      "(throughput >= -5%, p99_ttft_ms <= +10%, p99_e2e_ms <= +10%, error_rate < 1%).\n"
      "Exit codes: 0 all passed, 3 a threshold failed, 2 usage or input error.");
  return [args]() {
    const result::RunReport current = result::load_report_file(args->current);
    std::optional<result::RunReport> baseline;
    if (!args->baseline.empty()) baseline = result::load_report_file(args->baseline);

    reports::GateOptions options;
    options.alpha = args->alpha;
    for (const std::string& text : args->thresholds)
      options.thresholds.push_back(reports::parse_threshold(text, "--threshold"));
    if (options.thresholds.empty())
      options.thresholds = reports::thresholds_from_config(current, args->current);
    if (options.thresholds.empty()) {
      if (!baseline)
        throw InputError("--threshold", "",
                         "no thresholds: give --threshold, or --baseline for the defaults");
      options.thresholds = reports::default_thresholds();
    }
    const reports::GateResult result = reports::run_gate(current, baseline ? &*baseline : nullptr, options);
    fmt::print("{}", reports::format_gate_text(result));
    if (!args->junit.empty()) write_file_atomically(args->junit, reports::format_gate_junit(result));
    if (!args->markdown.empty()) write_file_atomically(args->markdown, reports::format_gate_markdown(result));
    return static_cast<int>(result.passed() ? kExitOk : kExitGateFailed);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND("gate", "Fail a CI job when a report breaks absolute or relative thresholds", 60,
                          setup_gate);

}  // namespace llmbench::cli
