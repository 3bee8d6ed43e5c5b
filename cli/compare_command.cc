// llmbench compare: old against new, per point and metric, with a U test over repetitions.
#include <fmt/format.h>

#include "cli/command_registry.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "reports/compare.h"
#include "reports/compare_html.h"
#include "reports/terminal.h"

namespace llmbench::cli {
namespace {

struct CompareArgs {
  std::string base;
  std::vector<std::string> currents;
  std::vector<std::string> metrics;
  double alpha = 0.05;
  double noise_percent = 2.0;
  std::string markdown;
  std::string html;
};

CommandRunner setup_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  app.add_option("BASE", args->base, "Baseline report.json")->required();
  app.add_option("CURRENT", args->currents,
                 "Current report.json; several compare each against the baseline, side by side")
      ->required();
  app.add_option("--metric", args->metrics,
                 "Metric to compare (repeatable; default: throughput, error rate, "
                 "TTFT/ITL/TPOT/e2e percentiles). Names: docs/metrics.md");
  app.add_option("--alpha", args->alpha, "Significance level of the Mann-Whitney U test (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--noise", args->noise_percent,
                 "Relative changes below this many percent are 'same' (default 2)")
      ->check(CLI::Range(0.0, 1000.0));
  app.add_option("--markdown", args->markdown, "Also write the comparison as a Markdown table to this file");
  app.add_option("--html", args->html,
                 "Also write one self-contained HTML page: the verdict tables and every run's scenarios "
                 "overlaid on the report charts");
  return [args]() {
    // Every input and the metric names are checked before anything is written.
    const result::RunReport base = result::load_report_file(args->base);
    std::vector<result::RunReport> currents;
    for (const std::string& path : args->currents) currents.push_back(result::load_report_file(path));
    reports::CompareOptions options;
    options.alpha = args->alpha;
    options.noise_threshold = args->noise_percent / 100.0;
    if (!args->metrics.empty()) options.metrics = args->metrics;
    std::vector<std::vector<reports::ComparisonRow>> rows;
    std::vector<std::string> warnings;
    for (const result::RunReport& current : currents)
      rows.push_back(reports::compare_reports(base, current, options));
    std::string markdown;
    for (std::size_t i = 0; i < currents.size(); ++i) {
      const std::string& name = args->currents[i];
      if (currents.size() > 1) {
        fmt::print("{}{} against {}:\n", i ? "\n" : "", name, args->base);
        markdown += fmt::format("{}### {} against {}\n\n", i ? "\n" : "", name, args->base);
      }
      // Different workloads are compared (that is how two settings are compared), but never silently.
      const auto mismatch = reports::workload_mismatch(base, args->base, currents[i], name);
      warnings.push_back(mismatch.value_or(""));
      if (mismatch) {
        fmt::print(stderr, "llmbench compare: warning: {}\n", *mismatch);
        fmt::print("WARNING: {}\n\n", *mismatch);
        std::string quoted = *mismatch;
        for (std::size_t at = quoted.find('\n'); at != std::string::npos; at = quoted.find('\n', at + 1))
          quoted.replace(at, 1, "\n> ");
        markdown += "> **Warning:** " + quoted + "\n\n";
      }
      fmt::print("{}", reports::format_comparison_text(rows[i], reports::stdout_wants_color()));
      markdown += reports::format_comparison_markdown(rows[i]);
    }
    if (!args->markdown.empty()) write_file_atomically(args->markdown, markdown);
    if (!args->html.empty()) {
      std::vector<reports::ComparedRun> runs = {{args->base, &base}};
      for (std::size_t i = 0; i < currents.size(); ++i) runs.push_back({args->currents[i], &currents[i]});
      write_file_atomically(args->html, reports::format_comparison_html(runs, rows, warnings));
    }
    return static_cast<int>(kExitOk);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND(
    "compare",
    "Compare reports (a baseline and one or more others) per scenario and metric, with significance tests",
    50, setup_compare);

}  // namespace llmbench::cli
