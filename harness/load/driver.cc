#include "harness/load/driver.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "harness/load/step_monitor.h"
#include "harness/load/virtual_users.h"

namespace llmbench::load {

double StepOutcome::window_s() const {
  return window_end_ns > window_start_ns ? static_cast<double>(window_end_ns - window_start_ns) / 1e9 : 0.0;
}

double StepOutcome::delivered_rate() const {
  if (sends < 2 || last_send_ns <= first_send_ns) return 0.0;
  return static_cast<double>(sends - 1) / (static_cast<double>(last_send_ns - first_send_ns) / 1e9);
}

void check_driver_config(const DriverConfig& config, const LoadPlan& plan) {
  if (config.prompts == nullptr) throw std::invalid_argument("prompts: no prompt source");
  if (config.operation == Operation::batch) {
    // 0 is "auto" in a scenario (auto_batch_size), resolved per step before running.
    if (config.batch_size > 0 && config.batch_size < plan.concurrency) {
      throw std::invalid_argument(fmt::format(
          "batch_size: {} is below concurrency {}: one batch() call at a time keeps at most {} requests in "
          "flight; set batch_size to at least {}, or leave it unset (auto)",
          config.batch_size, plan.concurrency, config.batch_size, plan.concurrency));
    }
    if (plan.model == LoadModel::open_loop) {
      throw std::invalid_argument(
          "load: batch runs one batch() call after another (closed loop); use invoke or "
          "stream for an open loop");
    }
    if (plan.shard.sharded()) {
      throw std::invalid_argument("operation: batch cannot be sharded (--shard); use invoke or stream");
    }
  }
  // Sharded, each process runs its part of the global concurrency.
  if (config.mode == harness::ExecutionModel::sync && share_of(plan.concurrency, plan.shard) > 1) {
    throw std::invalid_argument(
        "concurrency: sync mode runs requests one after another; use 1, or threaded or "
        "coroutine mode");
  }
  if (plan.model == LoadModel::open_loop && plan.concurrency == 0 &&
      config.mode != harness::ExecutionModel::coroutine) {
    throw std::invalid_argument(
        "concurrency: an uncapped open loop (concurrency 0) needs coroutine mode; give "
        "the cap as concurrency for sync or threaded mode");
  }
  if (plan.model == LoadModel::closed_loop && plan.concurrency == 0) {
    throw std::invalid_argument("concurrency: must be at least 1");
  }
}

harness::ChatRequest build_request(const DriverConfig& config, std::uint64_t index) {
  harness::ChatRequest request = config.prompts->request_for(index);
  harness::apply_defaults(request, config.request_fields);
  return request;  // config.headers are the client's own (run_step): one header list, built once
}

StepOutcome run_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress) {
  check_driver_config(config, schedule.plan());
  harness::Endpoint endpoint = config.endpoint;
  endpoint.headers.insert(endpoint.headers.end(), config.headers.begin(), config.headers.end());
  // threaded: one worker thread per user; coroutine: the configured loops; sync: one.
  harness::Client client(config.mode, endpoint,
                         config.mode == harness::ExecutionModel::threaded ? share_of(schedule.plan().concurrency, schedule.plan().shard)
                                                                         : config.event_loops);
  std::deque<WorkerTally> tallies;  // one per loop; deque: WorkerTally is not movable-cheap
  for (std::size_t i = 0; i < client.size(); ++i) tallies.emplace_back(config.slo);
  schedule.start();  // the clock starts once the client and its loops are ready (docs/metrics.md)
  if (config.request_export != nullptr) {
    const ExportStep& step =
        config.request_export->begin_step(config.export_scenario, config.step_index, schedule.start_ns());
    for (auto& tally : tallies) tally.export_to(config.request_export, &step);
  }
  std::optional<ServerMetricsScraper> scraper;
  if (config.scrape != nullptr) scraper.emplace(*config.scrape, schedule.start_ns());
  {
    StepMonitor monitor(schedule, progress, [&client] { client.cancel(); });
    drive_step(config, schedule, progress, client, tallies);
  }
  StepOutcome outcome;
  outcome.recorder = metrics::MetricsRecorder(config.slo);
  for (const auto& tally : tallies) tally.merge_into(outcome);
  if (scraper) outcome.server_metrics = scraper->stop();
  outcome.requests_per_slot = config.operation == Operation::batch ? config.batch_size : 1;
  // One window for every mode (docs/metrics.md): from the measure start to the planned end or
  // the end of the last measured request, whichever comes first.
  const std::int64_t measure_start = schedule.measure_start_ns();
  if (outcome.window_end_ns > 0 && measure_start != Schedule::kUnknownNs) {
    outcome.window_start_ns = measure_start;
    outcome.window_end_ns = std::max(measure_start, std::min(outcome.window_end_ns, schedule.measure_end_ns()));
  }
  return outcome;
}

}  // namespace llmbench::load
