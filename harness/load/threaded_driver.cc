// The threaded execution model: N worker threads, each a virtual user with its own client.
#include <deque>

#include "harness/client/threaded_client.h"
#include "harness/load/blocking_user.h"
#include "harness/load/step_monitor.h"

namespace llmbench::load {

StepOutcome run_threaded_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress) {
  const std::uint32_t users = schedule.plan().concurrency;
  harness::ThreadedClient client(config.endpoint, users);
  schedule.start();  // the clock starts once the client is ready (docs/metrics.md)
  std::deque<WorkerTally> tallies;  // one per worker; deque: WorkerTally is not movable-cheap
  {
    StepMonitor monitor(schedule, progress, [&client] { client.cancel_all(); });
    if (config.operation == Operation::batch) {
      // One batch() at a time; the pool's workers are its sliding window.
      tallies.emplace_back(config.slo);
      harness::BatchOptions options;
      options.max_concurrency = users;
      run_batches(
          config, schedule, [&](std::span<const harness::ChatRequest> r) { return client.batch(r, options); },
          tallies.back(), progress);
    } else {
      for (std::uint32_t i = 0; i < users; ++i) tallies.emplace_back(config.slo);
      client.run_on_workers([&](std::size_t worker, harness::SyncClient& worker_client) {
        run_blocking_user(config, schedule, static_cast<std::uint32_t>(worker), users, worker_client,
                          tallies[worker], progress);
      });
    }
  }
  StepOutcome outcome;
  outcome.recorder = metrics::MetricsRecorder(config.slo);
  for (const auto& tally : tallies) tally.merge_into(outcome);
  return outcome;
}

}  // namespace llmbench::load
