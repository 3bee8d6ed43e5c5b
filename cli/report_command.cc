// llmbench report: re-render a stored report.json without re-running it.
#include <fmt/format.h>

#include <filesystem>

#include "cli/command_registry.h"
#include "common/exit_codes.h"
#include "harness/result/report_json.h"
#include "reports/demo_summary.h"
#include "reports/formatters.h"
#include "reports/report_writer.h"
#include "reports/terminal.h"

namespace llmbench::cli {
namespace {

struct ReportArgs {
  std::string input;
  std::string formats;
  std::string out_dir;
  bool summary = false;
};

CommandRunner setup_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  app.add_option("REPORT", args->input, "report.json written by 'llmbench run' or 'llmbench merge'")
      ->required();
  CLI::Option* format = app.add_option(
      "--format", args->formats,
      "Comma-separated files to write: json, csv, md, html, gbench. Without it the report is printed");
  CLI::Option* out = app.add_option("--out", args->out_dir, "Directory for the files (default: the report's directory)");
  app.add_flag("--summary", args->summary,
               "Print what the run found in plain words instead of the tables: per operation, each execution "
               "model's req/s against the ideal for the target's known latency (what 'make demo' ends with)")
      ->excludes(format)
      ->excludes(out);
  return [args]() {
    const result::RunReport report = result::load_report_file(args->input);
    if (args->summary) {
      fmt::print("{}", reports::format_summary(report));
      return static_cast<int>(kExitOk);
    }
    if (args->formats.empty()) {
      fmt::print("{}", reports::format_console(report, {.color = reports::stdout_wants_color()}));
      return static_cast<int>(kExitOk);
    }
    const std::vector<std::string> formats = reports::parse_report_formats(args->formats, "--format");
    std::filesystem::path dir = args->out_dir;
    if (dir.empty()) dir = std::filesystem::path(args->input).parent_path();
    if (dir.empty()) dir = ".";
    reports::write_reports(report, dir, formats);
    for (const std::string& f : formats) fmt::print("wrote {} report to {}\n", f, dir.string());
    return static_cast<int>(kExitOk);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND("report",
                          "Render a stored report.json as console, CSV, Markdown, HTML or gbench JSON", 40,
                          setup_report);

}  // namespace llmbench::cli
