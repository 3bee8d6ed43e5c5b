// llmbench compare: old against new, per point and metric, with a U test over repetitions.
#include <fmt/format.h>

#include "cli/command_registry.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "reports/compare.h"
#include "reports/terminal.h"

namespace llmbench::cli {
namespace {

struct CompareArgs {
  std::string base;
  std::string current;
  std::vector<std::string> metrics;
  double alpha = 0.05;
  double noise_percent = 2.0;
  std::string markdown;
};

CommandRunner setup_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  app.add_option("BASE", args->base, "Baseline report.json")->required();
  app.add_option("CURRENT", args->current, "Current report.json")->required();
  app.add_option("--metric", args->metrics,
                 "Metric to compare (repeatable; default: throughput, error rate, "
                 "TTFT/ITL/TPOT/e2e percentiles). Names: docs/metrics.md");
  app.add_option("--alpha", args->alpha, "Significance level of the Mann-Whitney U test (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--noise", args->noise_percent,
                 "Relative changes below this many percent are 'same' (default 2)")
      ->check(CLI::Range(0.0, 1000.0));
  app.add_option("--markdown", args->markdown, "Also write the comparison as a Markdown table to this file");
  return [args]() {
    const result::RunReport base = result::load_report_file(args->base);
    const result::RunReport current = result::load_report_file(args->current);
    reports::CompareOptions options;
    options.alpha = args->alpha;
    options.noise_threshold = args->noise_percent / 100.0;
    if (!args->metrics.empty()) options.metrics = args->metrics;
    const auto rows = reports::compare_reports(base, current, options);
    // Different workloads are compared (that is how two settings are compared), but never silently.
    const auto mismatch = reports::workload_mismatch(base, args->base, current, args->current);
    if (mismatch) {
      fmt::print(stderr, "llmbench compare: warning: {}\n", *mismatch);
      fmt::print("WARNING: {}\n\n", *mismatch);
    }
    fmt::print("{}", reports::format_comparison_text(rows, reports::stdout_wants_color()));
    if (!args->markdown.empty()) {
      std::string markdown;
      if (mismatch) {
        std::string quoted = *mismatch;
        for (std::size_t at = quoted.find('\n'); at != std::string::npos; at = quoted.find('\n', at + 1))
          quoted.replace(at, 1, "\n> ");
        markdown = "> **Warning:** " + quoted + "\n\n";
      }
      write_file_atomically(args->markdown, markdown + reports::format_comparison_markdown(rows));
    }
    return static_cast<int>(kExitOk);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND("compare", "Compare two reports per scenario and metric, with significance tests",
                          50, setup_compare);

}  // namespace llmbench::cli
