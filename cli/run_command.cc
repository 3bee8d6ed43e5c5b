// llmbench run: run scenario files, or one ad-hoc measurement from flags (docs/cli.md).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_registry.h"
#include "cli/embedded_mock.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "common/interrupt.h"
#include "harness/load/live_progress.h"
#include "harness/load/runner.h"
#include "harness/scenario/scenario_file.h"
#include "reports/formatters.h"
#include "reports/output_dir.h"
#include "reports/report_writer.h"

namespace llmbench::cli {
namespace {

struct RunFlags {
  std::vector<std::string> files;
  std::vector<std::string> sets;
  std::string out = "out/run";
  std::string formats = "json";
  // Ad-hoc flags: each becomes an override of the scenario (or target) key it names, so a
  // flag and a file field are checked by the same code.
  std::optional<std::string> mode, op, concurrency, requests, duration, rate, arrival, target, model,
      api_key_env, api, mock_ttft, mock_itl, mock_output_tokens, threads, warmup, max_tokens, batch_size,
      engine;
  std::vector<std::string> mock_faults;
  bool quiet = false;
};

// The ad-hoc first form's suite: one scenario against the embedded mock (or --target).
constexpr const char* kAdHocSuite = R"(
[suite]
name = "adhoc"

[[scenario]]
name = "adhoc"
mode = "coroutine"
operation = "invoke"
)";

void add(std::vector<scenario::Override>& out, const std::optional<std::string>& value,
         const std::string& key, const std::string& flag, bool quote = false) {
  if (!value) return;
  out.push_back({key, *value, flag, quote});
}

std::vector<scenario::Override> flag_overrides(const RunFlags& f, bool adhoc) {
  std::vector<scenario::Override> o;
  add(o, f.mode, "scenario.mode", "--mode", true);
  add(o, f.op, "scenario.operation", "--op", true);
  add(o, f.concurrency, "scenario.concurrency", "--concurrency");
  add(o, f.requests, "scenario.requests", "--requests");
  add(o, f.duration, "scenario.duration", "--duration", true);
  add(o, f.rate, "scenario.rate", "--rate");
  add(o, f.arrival, "scenario.arrival", "--arrival", true);
  add(o, f.threads, "scenario.threads", "--threads");
  add(o, f.warmup, "scenario.warmup", "--warmup");
  add(o, f.max_tokens, "scenario.max_tokens", "--max-tokens");
  add(o, f.batch_size, "scenario.batch_size", "--batch-size");
  add(o, f.target, "target.url", "--target", true);
  add(o, f.model, "target.model", "--model", true);
  add(o, f.api_key_env, "target.api_key_env", "--api-key-env", true);
  add(o, f.api, "target.api", "--api", true);
  add(o, f.engine, "target.engine", "--engine", true);
  add(o, f.mock_ttft, "target.mock.ttft", "--mock-ttft", true);
  add(o, f.mock_itl, "target.mock.itl", "--mock-itl", true);
  add(o, f.mock_output_tokens, "target.mock.output_tokens", "--mock-output-tokens");
  for (const std::string& spec : f.mock_faults) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InputError("--mock-fault", "", fmt::format("'{}' is not KIND=RATE (e.g. 429=0.05)", spec));
    }
    o.push_back({"target.mock.faults." + spec.substr(0, eq), spec.substr(eq + 1), "--mock-fault", false});
  }
  // Ad hoc: a request count unless the run is bounded by duration alone.
  if (adhoc && !f.requests && !f.duration) o.push_back({"scenario.requests", "100", "--requests", false});
  for (const std::string& s : f.sets) o.push_back(scenario::parse_override(s));
  return o;
}

int run(const RunFlags& f) {
  install_interrupt_handlers();
  std::vector<std::string> formats = reports::parse_report_formats(f.formats, "--format");
  if (std::find(formats.begin(), formats.end(), "json") == formats.end())
    formats.insert(formats.begin(), "json");

  const bool adhoc = f.files.empty();
  const std::vector<scenario::Override> overrides = flag_overrides(f, adhoc);
  // Parse everything first: a bad second file must not leave the first one's partial run.
  std::vector<load::SuiteSpec> suites;
  if (adhoc) {
    load::SuiteSpec suite = scenario::parse_suite(kAdHocSuite, "command line", overrides);
    suite.source = "command line";
    suites.push_back(std::move(suite));
  } else {
    for (const std::string& file : f.files) suites.push_back(scenario::load_suite_file(file, overrides));
  }
  // The embedded mocks' settings too, with the mock's schema, before anything runs.
  std::vector<std::optional<EmbeddedMock>> mocks;
  for (load::SuiteSpec& suite : suites) {
    mocks.push_back(suite.target.embedded_mock ? std::optional(read_embedded_mock(suite.target)) : std::nullopt);
  }

  // The output directories, checked before the first request: a run must not measure a whole
  // suite and then fail to save it.
  std::vector<std::filesystem::path> out_dirs;
  for (const load::SuiteSpec& suite : suites) {
    out_dirs.push_back(suites.size() > 1 ? std::filesystem::path(f.out) / suite.name
                                         : std::filesystem::path(f.out));
    reports::check_output_dir(out_dirs.back(), "--out");
  }

  load::LiveProgress progress =
      f.quiet ? load::LiveProgress(stderr, false) : load::LiveProgress::for_terminal(stderr);
  int exit_code = kExitOk;
  for (std::size_t i = 0; i < suites.size(); ++i) {
    const load::SuiteSpec& suite = suites[i];
    const std::filesystem::path& out_dir = out_dirs[i];
    // Another run's reports are kept, never overwritten (docs/cli.md, "Output directory").
    if (const std::filesystem::path kept = reports::keep_previous_reports(out_dir); !kept.empty()) {
      fmt::print(stderr, "llmbench run: moved the previous reports in {} to {}\n", out_dir.string(), kept.string());
    }
    load::RunOptions options;
    options.progress = &progress;
    options.log = f.quiet ? nullptr : stderr;
    if (!f.quiet) fmt::print(stderr, "== {} ({})\n", suite.name, suite.source);
    std::optional<mock::MockServer> server;
    if (mocks[i]) {
      server.emplace(mocks[i]->config, mocks[i]->engine);
      server->start();
      options.embedded = load::EmbeddedTarget{server->base_url(), mock_echo(*mocks[i]), known_latency(mocks[i]->config)};
    }
    const load::RunOutcome outcome = load::run_suite(suite, options);
    if (server) server->stop();
    // Written whatever the outcome (interrupted, max errors, no success): nothing measured is lost.
    reports::write_reports(outcome.report, out_dir, formats);
    // Said even with --quiet: it is why the exit code is 1.
    if (outcome.unsuccessful) fmt::print(stderr, "{}\n", load::describe(*outcome.unsuccessful));
    reports::ConsoleOptions console;
    console.color = ::isatty(::fileno(stdout)) == 1;
    fmt::print("{}", reports::format_console(outcome.report, console));
    for (const std::string& note : outcome.notes) fmt::print("{}\n", note);
    fmt::print("Reports written to {}{}\n", out_dir.string(),
               outcome.report.interrupted ? " (interrupted: partial results)" : "");
    if (outcome.exit_code != kExitOk) exit_code = outcome.exit_code;
    if (outcome.exit_code == kExitInterrupted) break;
  }
  return exit_code;
}

CommandRunner setup(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  app.add_option("files", flags->files,
                 "Scenario files (TOML, docs/scenarios.md); none: one ad-hoc run from flags");
  app.add_option("--set", flags->sets,
                 "Override a scenario-file key, e.g. scenario.concurrency=8 or "
                 "target.mock.ttft=20ms (repeatable)");
  app.add_option("--out", flags->out, "Output directory for report.json and other formats")
      ->capture_default_str();
  app.add_option("--format", flags->formats, "Report formats: json,csv,md,html,gbench")
      ->capture_default_str();
  app.add_flag("--quiet,-q", flags->quiet, "No progress line or per-step log on stderr");
  auto* adhoc =
      app.add_option_group("Ad-hoc run / overrides", "Also override the same keys of scenario files");
  adhoc->add_option("--mode", flags->mode, "sync | threaded | coroutine (default coroutine)");
  adhoc->add_option("--op", flags->op, "invoke | stream | batch (default invoke)");
  adhoc->add_option("--concurrency", flags->concurrency,
                    "Virtual users (closed loop) or the in-flight cap (open loop)");
  adhoc->add_option("--requests", flags->requests, "Measured requests (default 100 unless --duration)");
  adhoc->add_option("--duration", flags->duration, "Measured duration, e.g. 10s");
  adhoc->add_option("--rate", flags->rate, "Open loop: arrivals per second");
  adhoc->add_option("--arrival", flags->arrival, "Open loop: constant | poisson");
  adhoc->add_option("--warmup", flags->warmup, "Warm-up: a request count (10) or a duration (\"2s\")");
  adhoc->add_option("--threads", flags->threads, "Coroutine mode: event-loop threads (default: cores)");
  adhoc->add_option("--max-tokens", flags->max_tokens, "max_tokens of every request");
  adhoc->add_option("--batch-size", flags->batch_size, "Requests per batch() call (--op batch); default: all --requests in one call, else 4 x --concurrency; never below --concurrency");
  adhoc->add_option("--target", flags->target,
                    "URL of an OpenAI-compatible or Ollama server (default: embedded mock)");
  adhoc->add_option("--model", flags->model, "Model name (URL targets)");
  adhoc->add_option("--api-key-env", flags->api_key_env, "Environment variable holding the API key");
  adhoc->add_option("--api", flags->api, "openai | ollama");
  adhoc->add_option("--engine", flags->engine, "Embedded mock engine: asio | httplib");
  adhoc->add_option("--mock-ttft", flags->mock_ttft, "Embedded mock: time to first token, e.g. 50ms");
  adhoc->add_option("--mock-itl", flags->mock_itl, "Embedded mock: inter-token latency, e.g. 5ms");
  adhoc->add_option("--mock-output-tokens", flags->mock_output_tokens,
                    "Embedded mock: output tokens per response");
  adhoc->add_option("--mock-fault", flags->mock_faults,
                    "Embedded mock: KIND=RATE, e.g. 429=0.05 (repeatable)");
  return [flags] { return run(*flags); };
}

LLMBENCH_REGISTER_COMMAND("run",
                          "Run scenario files or an ad-hoc measurement; write report.json and other formats",
                          20, setup);

}  // namespace
}  // namespace llmbench::cli
