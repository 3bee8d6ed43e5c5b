// llmbench gate: pass/fail thresholds for CI (exit 0 pass, 3 fail, 2 usage or input error,
// 1 an output file that could not be written after all).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

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
  bool allow_partial = false;
};

// A merge that lacks shards (--allow-partial), or a single shard of a sharded run, measured only
// part of the load: judged only when asked (docs/distributed.md).
void check_complete(const result::RunReport& report, const std::string& path, bool allow_partial) {
  if (allow_partial || !report.distributed) return;
  const result::DistributedRun& d = *report.distributed;
  if (!d.partial && d.shards.size() >= d.shard_count) return;
  throw InputError(path, "distributed",
                   fmt::format("holds {} of the {} shards of run '{}' (partial load); merge every shard "
                               "(llmbench merge --expect-shards {}) or pass --allow-partial",
                               d.shards.size(), d.shard_count, d.run_id, d.shard_count));
}

// --junit/--markdown are checked before anything is judged, like every other input: a path that
// is a directory, or lies under a file or an unwritable directory, is a usage error (exit 2).
void check_output_path(const std::string& flag, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return;
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(flag, path, "is a directory; give a file path");
  fs::path dir = fs::absolute(path, ec).parent_path();
  if (ec) throw InputError(flag, path, "cannot be written: " + ec.message());
  // write_file_atomically creates missing directories: the nearest existing one must take them.
  while (!fs::exists(dir, ec) && dir.has_parent_path() && dir.parent_path() != dir) dir = dir.parent_path();
  if (!fs::is_directory(dir, ec))
    throw InputError(flag, path, fmt::format("cannot be written: '{}' is not a directory", dir.string()));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError(flag, path,
                     fmt::format("cannot be written: directory '{}' is not writable", dir.string()));
}

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
  app.add_flag("--allow-partial", args->allow_partial,
               "Judge a report that holds only some shards of a distributed run (docs/distributed.md)");
  app.footer(
      "Checks: --threshold flags, else the thresholds stored in the report (the suite file's); with "
      "--baseline "
      "and no relative threshold among those, the default baseline comparison as well (throughput >= -5%, "
      "p99_ttft_ms <= +10%, p99_e2e_ms <= +10%, error_rate < 1%). The output names the origin of every "
      "check.\n"
      "Exit codes: 0 all passed, 3 a threshold failed, 2 usage or input error (including an unwritable "
      "--junit/--markdown path), 1 an output file that could not be written after all (docs/ci.md).");
  return [args]() {
    check_output_path("--junit", args->junit);
    check_output_path("--markdown", args->markdown);
    const result::RunReport current = result::load_report_file(args->current);
    check_complete(current, args->current, args->allow_partial);
    std::optional<result::RunReport> baseline;
    if (!args->baseline.empty()) baseline = result::load_report_file(args->baseline);

    std::vector<reports::Threshold> flags;
    for (const std::string& text : args->thresholds)
      flags.push_back(reports::parse_threshold(text, "--threshold"));
    reports::ThresholdSelection selection = reports::select_thresholds(
        flags, current, args->current, baseline ? &*baseline : nullptr, args->baseline);
    reports::GateOptions options;
    options.alpha = args->alpha;
    options.thresholds = std::move(selection.thresholds);
    reports::GateResult result = reports::run_gate(current, baseline ? &*baseline : nullptr, options);
    result.notes.insert(result.notes.begin(), selection.notes.begin(), selection.notes.end());
    fmt::print("{}", reports::format_gate_text(result));
    std::fflush(stdout);
    if (!args->junit.empty()) write_file_atomically(args->junit, reports::format_gate_junit(result));
    if (!args->markdown.empty()) write_file_atomically(args->markdown, reports::format_gate_markdown(result));
    return static_cast<int>(result.passed() ? kExitOk : kExitGateFailed);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND("gate", "Fail a CI job when a report breaks absolute or relative thresholds", 60,
                          setup_gate);

}  // namespace llmbench::cli
