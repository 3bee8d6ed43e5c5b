// llmbench run: run scenario files, or one ad-hoc measurement from flags (docs/cli.md).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_registry.h"
#include "cli/embedded_mock.h"
#include "cli/suite_flags.h"
#include "mock_provider/mock_config_file.h"
#include "common/atomic_file.h"
#include "common/duration.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "common/interrupt.h"
#include "common/wall_time.h"
#include "harness/load/live_progress.h"
#include "harness/load/runner.h"
#include "harness/load/shard.h"
#include "harness/load/start_gate.h"
#include "harness/result/report_frames.h"
#include "harness/result/report_json.h"
#include "harness/result/workload_config.h"
#include "harness/scenario/scenario_file.h"
#include "reports/formatters.h"
#include "reports/output_dir.h"
#include "reports/report_writer.h"

namespace llmbench::cli {
namespace {

struct RunFlags {
  SuiteFlags suite;  // files, --set and the ad-hoc flags (cli/suite_flags.h)
  std::string out = "out/run";
  std::string formats = "json";
  bool quiet = false;
  // Distributed runs (docs/distributed.md): --shard I/N|auto, --start-at, --max-late, --run-id.
  std::string shard;
  std::string start_at;
  std::string max_late = "1s";
  std::string run_id;
};

// What --shard, --start-at, --max-late and --run-id resolve to, checked before anything runs.
struct Distribution {
  bool recorded = false;  // any of the four given: the report carries `distributed`
  load::Shard shard;
  std::optional<load::StartAt> start_at;
  std::string planned_start;  // normalised RFC 3339, empty without --start-at
};

Distribution read_distribution(const RunFlags& f) {
  Distribution d;
  d.recorded = !f.shard.empty() || !f.start_at.empty() || !f.run_id.empty();
  if (f.shard == "auto") {
    d.shard = load::shard_from_environment(load::process_env);
  } else if (!f.shard.empty()) {
    d.shard = load::parse_shard(f.shard);
  }
  if (!f.start_at.empty()) {
    const std::optional<std::int64_t> at = parse_rfc3339_ns(f.start_at);
    if (!at) {
      throw InputError("--start-at", "",
                       fmt::format("'{}' is not an RFC 3339 time with a zone, e.g. 2026-01-02T03:04:05Z", f.start_at));
    }
    load::StartAt start{.unix_ns = *at};
    try {
      start.max_late = parse_duration(f.max_late);
    } catch (const std::exception& e) {
      throw InputError("--max-late", "", e.what());
    }
    d.start_at = start;
    d.planned_start = format_rfc3339_ns(*at);
  }
  return d;
}

// The shard's own record in its report (docs/distributed.md).
void record_distribution(result::RunReport& report, const RunFlags& f, const Distribution& d,
                         std::int64_t actual_start_ns) {
  if (!d.recorded) return;
  result::DistributedRun run;
  run.run_id = f.run_id.empty() ? result::default_run_id(result::config_hash(report.config), d.planned_start)
                                : f.run_id;
  run.shard_count = d.shard.count;
  result::ShardRecord self;
  self.index = d.shard.index;
  self.host = report.environment.host;
  self.planned_start = d.planned_start;
  self.actual_start = format_rfc3339_ns(actual_start_ns);
  run.shards.push_back(std::move(self));
  report.distributed = std::move(run);
  result::record_shard_throughput(report);
}

int run(const RunFlags& f) {
  install_interrupt_handlers();
  std::vector<std::string> formats = reports::parse_report_formats(f.formats, "--format");
  if (std::find(formats.begin(), formats.end(), "json") == formats.end())
    formats.insert(formats.begin(), "json");
  const Distribution distribution = read_distribution(f);
  // `--out -`: report.json framed on stdout (kubectl logs | llmbench merge -); a shard given a
  // directory writes shard-I.json there (a shared volume holds every shard's). Either way only
  // the JSON: the other formats are rendered from the merged report (llmbench report).
  const bool to_stdout = f.out == "-";
  const bool json_only = to_stdout || !f.shard.empty();
  if (json_only && formats.size() > 1) {
    throw InputError("--format", "",
                     fmt::format("{} writes report.json only; render other formats from the merged report "
                                 "(llmbench report)",
                                 to_stdout ? "--out -" : "a shard (--shard)"));
  }
  std::FILE* console_out = to_stdout ? stderr : stdout;  // stdout carries the framed report
  // A shard's --out may also name its file (`--out /shared/shard-$(JOB_COMPLETION_INDEX).json`).
  const std::filesystem::path out_path(f.out);
  const bool out_is_file = !to_stdout && !f.shard.empty() && out_path.extension() == ".json";
  const std::string shard_file =
      out_is_file ? out_path.filename().string() : fmt::format("shard-{}.json", distribution.shard.index);
  const std::filesystem::path out_root =
      out_is_file ? (out_path.has_parent_path() ? out_path.parent_path() : std::filesystem::path(".")) : out_path;

  // Parse everything first: a bad second file must not leave the first one's partial run.
  std::vector<load::SuiteSpec> suites = load_suites(f.suite);
  // The embedded mocks' settings too, with the mock's schema, before anything runs.
  std::vector<std::optional<EmbeddedMock>> mocks;
  for (load::SuiteSpec& suite : suites) {
    mocks.push_back(suite.target.embedded_mock ? std::optional(read_embedded_mock(suite.target)) : std::nullopt);
  }

  // The output directories, checked before the first request: a run must not measure a whole
  // suite and then fail to save it.
  std::vector<std::filesystem::path> out_dirs;
  for (const load::SuiteSpec& suite : suites) {
    if (to_stdout) {
      out_dirs.emplace_back();
      continue;
    }
    if (out_is_file && suites.size() > 1) {
      throw InputError("--out", f.out, "names one report file, but several suite files write one each: give a directory");
    }
    out_dirs.push_back(suites.size() > 1 ? out_root / suite.name : out_root);
    reports::check_output_dir(out_dirs.back(), "--out");
  }

  load::LiveProgress progress =
      f.quiet ? load::LiveProgress(stderr, false) : load::LiveProgress::for_terminal(stderr);
  int exit_code = kExitOk;
  for (std::size_t i = 0; i < suites.size(); ++i) {
    const load::SuiteSpec& suite = suites[i];
    const std::filesystem::path& out_dir = out_dirs[i];
    // Another run's reports are kept, never overwritten (docs/cli.md, "Output directory"); a
    // shard touches only its own file, since the other shards write theirs beside it.
    if (!to_stdout) {
      const std::filesystem::path kept = f.shard.empty() ? reports::keep_previous_reports(out_dir)
                                                         : reports::keep_previous_file(out_dir, shard_file);
      if (!kept.empty()) {
        fmt::print(stderr, "llmbench run: moved the previous reports in {} to {}\n", out_dir.string(), kept.string());
      }
    }
    load::RunOptions options;
    options.shard = distribution.shard;
    options.progress = &progress;
    options.log = f.quiet ? nullptr : stderr;
    if (!f.quiet) fmt::print(stderr, "== {} ({})\n", suite.name, suite.source);
    std::optional<mock::MockServer> server;
    if (mocks[i]) {
      server.emplace(mocks[i]->config, mocks[i]->engine);
      server->start();
      options.embedded = load::EmbeddedTarget{server->base_url(), mock_echo(*mocks[i]), known_latency(mocks[i]->config)};
    }
    // --start-at: the first suite starts at the planned instant, or not at all when too late.
    std::int64_t actual_start_ns = wall_now_ns();
    if (distribution.start_at && i == 0) {
      const load::StartOutcome start =
          load::wait_for_start(*distribution.start_at, load::steady_time_source(), [] { return wall_now_ns(); });
      if (start.result == load::StartOutcome::Result::too_late) {
        fmt::print(stderr,
                   "llmbench run: too late: --start-at {} was {:.3f} s ago, more than --max-late {}; not adding "
                   "misaligned load (shard {}/{})\n",
                   distribution.planned_start, static_cast<double>(start.late_ns) / 1e9, f.max_late,
                   distribution.shard.index, distribution.shard.count);
        return kExitTooLate;
      }
      if (start.result == load::StartOutcome::Result::interrupted) return kExitInterrupted;
      actual_start_ns = start.actual_unix_ns;
    }
    load::RunOutcome outcome = load::run_suite(suite, options);
    if (server) server->stop();
    record_distribution(outcome.report, f, distribution, actual_start_ns);
    // Written whatever the outcome (interrupted, max errors, no success): nothing measured is lost.
    if (to_stdout) {
      const std::string framed = result::framed_report(outcome.report);
      std::fwrite(framed.data(), 1, framed.size(), stdout);
      std::fflush(stdout);
    } else if (!f.shard.empty()) {
      write_file_atomically(out_dir / shard_file, result::to_json_text(outcome.report));
    } else {
      reports::write_reports(outcome.report, out_dir, formats);
    }
    // Said even with --quiet: it is why the exit code is 1.
    if (outcome.unsuccessful) fmt::print(stderr, "{}\n", load::describe(*outcome.unsuccessful));
    reports::ConsoleOptions console;
    console.color = ::isatty(::fileno(console_out)) == 1;
    fmt::print(console_out, "{}", reports::format_console(outcome.report, console));
    for (const std::string& note : outcome.notes) fmt::print(console_out, "{}\n", note);
    fmt::print(console_out, "Reports written to {}{}\n",
               to_stdout ? std::string("stdout (framed)") : (f.shard.empty() ? out_dir : out_dir / shard_file).string(),
               outcome.report.interrupted ? " (interrupted: partial results)" : "");
    if (outcome.exit_code != kExitOk) exit_code = outcome.exit_code;
    if (outcome.exit_code == kExitInterrupted) break;
  }
  return exit_code;
}

CommandRunner setup(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  app.add_option("files", flags->suite.files,
                 "Scenario files (TOML, docs/scenarios.md); none: one ad-hoc run from flags");
  add_set_option(app, flags->suite);
  app.add_option("--out", flags->out, "Output directory for report.json and other formats; '-': report.json framed on stdout")
      ->capture_default_str();
  app.add_option("--format", flags->formats, "Report formats: json,csv,md,html,gbench")
      ->capture_default_str();
  app.add_flag("--quiet,-q", flags->quiet, "No progress line or per-step log on stderr");
  auto* distributed = app.add_option_group("Distributed runs", "Shards of one run on several machines (docs/distributed.md)");
  distributed->add_option("--shard", flags->shard,
                          "Offer shard I of N (0-based) of the suite's global load, or 'auto' from the launcher's "
                          "environment (Kubernetes, Slurm, MPI); writes shard-I.json")
      ->type_name("I/N|auto");
  distributed->add_option("--start-at", flags->start_at,
                          "Start the load at this wall-clock instant (RFC 3339, e.g. 2026-01-02T03:04:05Z)")
      ->type_name("TIME");
  distributed->add_option("--max-late", flags->max_late,
                          "With --start-at: exit 4 instead of starting when later than this")
      ->type_name("DURATION")
      ->capture_default_str();
  distributed->add_option("--run-id", flags->run_id,
                          "Run id every shard records (default: from the configuration hash and --start-at)")
      ->type_name("ID");
  add_adhoc_flags(app, flags->suite);
  return [flags] { return run(*flags); };
}

LLMBENCH_REGISTER_COMMAND("run",
                          "Run scenario files or an ad-hoc measurement; write report.json and other formats",
                          20, setup);

}  // namespace
}  // namespace llmbench::cli
