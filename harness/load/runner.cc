#include "harness/load/runner.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include "common/exit_codes.h"
#include "common/input_error.h"
#include "common/interrupt.h"
#include "common/version.h"
#include "harness/load/driver.h"
#include "harness/load/request_export.h"
#include "harness/load/server_metrics_scraper.h"
#include "harness/load/schedule.h"
#include "harness/load/suite_prompts.h"
#include "harness/result/environment.h"

namespace llmbench::load {

namespace {

DriverConfig driver_config(const ScenarioSpec& s, const harness::Endpoint& target,
                           const PromptSource& prompts) {
  DriverConfig config;
  config.mode = s.mode;
  config.operation = s.operation;
  config.endpoint = target;
  config.endpoint.timeouts = s.timeouts;
  config.endpoint.retry = s.retry;
  config.batch_size = s.batch_size;
  config.event_loops = s.threads;
  config.request_fields = s.request_fields;
  config.headers = s.headers;
  config.slo = s.slo;
  config.prompts = &prompts;
  config.session = s.session;
  return config;
}

// Every step of every scenario is checked before anything runs: bad input never leaves a
// partial run behind.
void check_suite(const SuiteSpec& suite, const PromptSource& prompts, Shard shard) {
  if (suite.scenarios.empty()) throw InputError(suite.source, "scenario", "the suite has no scenarios");
  for (const ScenarioSpec& s : suite.scenarios) {
    const std::string where = fmt::format("scenario '{}'", s.name);
    try {
      const DriverConfig config = driver_config(s, suite.target.endpoint, prompts);
      for (PlannedStep step : expand_steps(s)) {
        step.plan.shard = shard;
        validate_load_plan(step.plan);
        check_driver_config(config, step.plan);
      }
    } catch (const std::invalid_argument& e) {
      throw InputError(suite.source.empty() ? where : suite.source + ": " + where, "", e.what());
    }
  }
}

std::string step_label(const ScenarioSpec& s, const PlannedStep& step, std::size_t index, std::size_t count) {
  std::string label = fmt::format("{} [{}/{}]", s.name, index + 1, count);
  if (!s.sweep_parameter.empty()) label += fmt::format(" {}={}", s.sweep_parameter, step.sweep_value);
  return label;
}

}  // namespace

result::MockReference mock_reference(const std::optional<KnownLatency>& latency, const ScenarioSpec& scenario) {
  result::MockReference reference;
  if (!latency) return reference;
  for (const auto& [name, value] : scenario.headers) {
    if (name.rfind("x-mock-", 0) == 0) return reference;  // per-request latency overrides
  }
  double tokens = latency->output_tokens;
  if (scenario.request_fields.max_tokens > 0)
    tokens = std::min(tokens, static_cast<double>(scenario.request_fields.max_tokens));
  const double ttft_ms = latency->ttft_ns / 1e6;
  // Only a stream measures the first token; a whole response's TTFT is its e2e.
  if (scenario.operation == Operation::stream) reference.ttft_ms = ttft_ms;
  reference.e2e_ms = ttft_ms + std::max(0.0, tokens - 1) * latency->itl_ns / 1e6;
  return reference;
}

RunOutcome run_suite(const SuiteSpec& suite, const RunOptions& options) {
  PromptSourcePtr own_prompts;
  if (options.prompts == nullptr) own_prompts = make_prompt_source(suite.prompts);
  const PromptSource* prompts = options.prompts != nullptr ? options.prompts : own_prompts.get();
  check_suite(suite, *prompts, options.shard);
  if (suite.target.embedded_mock && !options.embedded) {
    throw InputError(suite.source, "target", "the embedded mock is started by the caller (RunOptions::embedded)");
  }

  RunOutcome outcome;
  result::RunReport& report = outcome.report;
  report.tool_version = kVersion;
  report.started_at = result::wall_clock_now_iso8601();
  report.environment = result::capture_environment();
  report.config = suite_config_json(suite);
  harness::Endpoint target = suite.target.endpoint;
  target.tokenizer = suite.prompts.tokenizer;  // counts replies that come without usage
  std::optional<KnownLatency> latency;
  if (suite.target.embedded_mock) {
    target.base_url = options.embedded->base_url;
    report.config["target"].as_object()["mock"] = options.embedded->echo;
    latency = options.embedded->latency;
  }

  // Server metrics: the URL is resolved and probed once, before anything runs; an explicit
  // URL that does not answer is bad input, found before measuring.
  std::optional<ScrapeSettings> scrape;
  if (suite.target.metrics_url != "off") {
    ScrapeSettings settings;
    settings.interval = suite.target.metrics_interval;
    settings.verify_tls = target.verify_tls;
    settings.ca_file = target.ca_file;
    const bool explicit_url = !suite.target.metrics_url.empty();
    settings.url = explicit_url ? suite.target.metrics_url : default_metrics_url(target.base_url);
    const std::string problem = probe_metrics(settings);
    if (problem.empty()) {
      scrape = std::move(settings);
    } else if (explicit_url) {
      throw InputError(suite.source, "target.metrics_url",
                       fmt::format("{} does not answer with Prometheus text: {}", settings.url, problem));
    } else {
      outcome.notes.push_back(fmt::format("server metrics: {} not scraped ({}); set target.metrics_url, or "
                                          "metrics_url = \"off\" to skip the probe",
                                          settings.url, problem));
    }
  }

  // --save-requests: opened before anything runs (an unwritable path is found before
  // measuring), one export per distinct path, finished (renamed into place) after the last step.
  std::map<std::string, std::unique_ptr<RequestExport>> exports;
  for (const ScenarioSpec& scenario : suite.scenarios) {
    if (!scenario.save_requests.empty() && !exports.contains(scenario.save_requests)) {
      exports.emplace(scenario.save_requests, std::make_unique<RequestExport>(scenario.save_requests));
    }
  }

  bool stop_suite = false;
  for (const ScenarioSpec& scenario : suite.scenarios) {
    if (stop_suite) break;
    result::ScenarioResult scenario_result;
    scenario_result.name = scenario.name;
    scenario_result.mode = scenario.mode;
    scenario_result.operation = scenario.operation;
    scenario_result.load_model = load_pattern(scenario.plan);
    const DriverConfig config = driver_config(scenario, target, *prompts);
    // Measures one step, records it in scenario_result; sets stop_suite when the suite must stop.
    std::size_t step_index = 0;  // the scenario's steps in the order run (the export's "step")
    const auto run_planned = [&](PlannedStep planned, const std::string& label) {
      DriverConfig step_config = config;
      step_config.batch_size = planned.batch_size;
      planned.plan.shard = options.shard;
      if (scrape) step_config.scrape = &*scrape;
      if (!scenario.save_requests.empty()) {
        step_config.request_export = exports.at(scenario.save_requests).get();
        step_config.export_scenario = scenario.name;
        step_config.step_index = step_index;
      }
      ++step_index;
      result::StepResult step;
      step.sweep_parameter = scenario.sweep_parameter;
      step.sweep_value = planned.sweep_value;
      step.repetition = planned.repetition;
      step.started_at = result::wall_clock_now_iso8601();

      Schedule schedule(planned.plan, steady_time_source());
      if (options.progress != nullptr)
        options.progress->begin_step(label, scenario.session.multi_turn() ? scenario.session.turns.mean() : 1.0);
      StepOutcome measured = run_step(step_config, schedule, options.progress);
      if (options.progress != nullptr) options.progress->end_step();

      const StopReason reason = schedule.stop_reason();
      step.stop_reason = reason;
      step.interrupted = reason == StopReason::interrupted;
      metrics::StepTiming timing;
      timing.duration_s = measured.window_s();
      timing.concurrency = static_cast<std::uint32_t>(share_of(planned.plan.concurrency, options.shard));
      if (planned.plan.model == LoadModel::open_loop) timing.target_rate_rps = planned.plan.rate / options.shard.count;
      step.metrics = measured.recorder.summarize(timing);
      step.schedule_lag = measured.schedule_lag;
      step.cap_wait = measured.cap_wait;
      // A dataset sets each request's output length: no one reference latency fits them all.
      // Sessions too: think times and a growing history are not the mock's configured latency.
      if (suite.prompts.kind != PromptSpec::Kind::sharegpt && suite.prompts.kind != PromptSpec::Kind::trace &&
          !scenario.session.multi_turn())
        step.reference = mock_reference(latency, scenario);
      step.server_metrics = std::move(measured.server_metrics);
      if (step_config.session.multi_turn()) step.sessions = measured.sessions.value_or(metrics::SessionMetrics{});

      if (planned.plan.model == LoadModel::open_loop) {
        // Waiting for a free user (the concurrency cap) is the load model at work; lateness
        // after a user was free is the harness's. They are told apart (docs/metrics.md).
        std::string cap;
        if (planned.plan.concurrency > 0) {
          cap = fmt::format("; waited for the concurrency cap ({} users) p50 {:.3f} ms p99 {:.3f} ms",
                            planned.plan.concurrency, measured.cap_wait.percentile(50) / 1e6,
                            measured.cap_wait.percentile(99) / 1e6);
        }
        // With sessions a slot (an arrival) is a session: its first turn is the send counted.
        const bool sessions = scenario.session.multi_turn();
        outcome.notes.push_back(fmt::format(
            "{}: open loop target {:.1f} {}{}, delivered {:.2f} {} ({} {}), harness schedule lag p50 "
            "{:.3f} ms p99 {:.3f} ms{}",
            label, planned.plan.rate / options.shard.count, sessions ? "sessions/s" : "req/s",
            options.shard.sharded() ? fmt::format(" (shard {}/{} of {:.1f})", options.shard.index,
                                                  options.shard.count, planned.plan.rate)
                                    : std::string(),
            measured.delivered_rate(), sessions ? "sessions/s" : "req/s", measured.sends,
            sessions ? "sessions" : "sends",
            measured.schedule_lag.percentile(50) / 1e6, measured.schedule_lag.percentile(99) / 1e6, cap));
      }
      if (options.log != nullptr) {
        const auto& c = step.metrics.counts;
        std::string extra;
        if (c.retries > 0 || c.rejected_attempts > 0) {
          extra = fmt::format(" ({} retries, {} attempts rejected with 429)", c.retries, c.rejected_attempts);
        }
        const std::string configured =
            planned.plan.concurrency > 0 ? fmt::format("of {}", planned.plan.concurrency) : std::string("uncapped");
        fmt::print(options.log, "{}: {} ok, {} failed{}, {:.1f} req/s, in flight {:.1f} {}, stop: {}\n", label, c.ok,
                   c.failed, extra, step.metrics.throughput.requests_per_s,
                   step.metrics.throughput.mean_in_flight.value_or(0), configured, step.stop_reason);
      }
      scenario_result.steps.push_back(std::move(step));

      if (reason == StopReason::interrupted) {
        report.interrupted = true;
        stop_suite = true;
      } else if (reason == StopReason::max_errors) {
        outcome.exit_code = kExitRunFailed;
        stop_suite = true;
      }
    };
    const auto interrupted_before_step = [&] {
      if (!interrupt_requested()) return false;
      report.interrupted = true;
      stop_suite = true;
      return true;
    };
    if (scenario.search.enabled) {
      // The steps are chosen from what the previous ones measured (harness/load/slo_search.h).
      SloSearch search(scenario.search);
      std::size_t probe = 0;
      while (const std::optional<double> value = search.next()) {
        if (stop_suite || interrupted_before_step()) break;
        const PlannedStep planned = search_step(scenario, *value);
        run_planned(planned, fmt::format("{} [probe {}] {}={}", scenario.name, ++probe, scenario.search.parameter,
                                         *value));
        const metrics::RequestCounts& counts = scenario_result.steps.back().metrics.counts;
        search.record(*value, counts.total > 0 ? static_cast<double>(counts.good) / static_cast<double>(counts.total)
                                               : 0.0);
      }
      const SloSearch::Outcome found = search.outcome();
      scenario_result.search = result::SearchResult{scenario.search.parameter, scenario.search.attainment,
                                                    found.answer,
                                                    found.upper,
                                                    found.converged,
                                                    static_cast<std::uint32_t>(found.probes.size())};
    } else {
      const std::vector<PlannedStep> steps = expand_steps(scenario);
      for (std::size_t i = 0; i < steps.size() && !stop_suite; ++i) {
        if (interrupted_before_step()) break;
        run_planned(steps[i], step_label(scenario, steps[i], i, steps.size()));
      }
    }
    if (!scenario_result.steps.empty()) report.scenarios.push_back(std::move(scenario_result));
  }
  report.environment.load_average_end = result::read_load_average();  // "busy machine" warning
  for (auto& [path, sink] : exports) sink->finish();

  if (report.interrupted) {
    outcome.exit_code = kExitInterrupted;
  } else {
    outcome.unsuccessful = first_unsuccessful_step(report);
    if (outcome.unsuccessful) outcome.exit_code = kExitRunFailed;
  }
  return outcome;
}

}  // namespace llmbench::load
