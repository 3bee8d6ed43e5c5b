// The sync execution model: one virtual user on the calling thread, one request at a time.
#include "harness/client/sync_client.h"
#include "harness/load/blocking_user.h"
#include "harness/load/step_monitor.h"

namespace llmbench::load {

StepOutcome run_sync_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress) {
  harness::SyncClient client(config.endpoint);
  WorkerTally tally(config.slo);
  schedule.start();  // the clock starts once the client is ready (docs/metrics.md)
  {
    StepMonitor monitor(schedule, progress, [&client] { client.cancel(); });
    if (config.operation == Operation::batch) {
      harness::BatchOptions options;
      options.max_concurrency = 1;
      run_batches(
          config, schedule, [&](std::span<const harness::ChatRequest> r) { return client.batch(r, options); },
          tally, progress);
    } else {
      run_blocking_user(config, schedule, 0, 1, client, tally, progress);
    }
  }
  StepOutcome outcome;
  outcome.recorder = metrics::MetricsRecorder(config.slo);
  tally.merge_into(outcome);
  return outcome;
}

}  // namespace llmbench::load
