#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "harness/client/sync_client.h"
#include "harness/load/driver.h"
#include "harness/load/worker_tally.h"

namespace llmbench::load {

// The virtual-user loops of the blocking execution models (sync, threaded), shared by their
// drivers. Internal.

// Sleeps until deadline_ns in short steps; false if the run aborted meanwhile.
bool wait_until_or_abort(Schedule& schedule, std::int64_t deadline_ns);

// One user: claim a slot, wait until it is due (open loop), invoke or stream it, account it,
// think (closed loop), repeat until the schedule runs out or aborts.
void run_blocking_user(const DriverConfig& config, Schedule& schedule, std::uint32_t user,
                       std::uint32_t users, harness::SyncClient& client, WorkerTally& tally,
                       LiveProgress* progress);

using BatchCall = std::function<std::vector<harness::InvokeResult>(std::span<const harness::ChatRequest>)>;

// Batch operation: each slot is one call of `batch` with config.batch_size requests.
void run_batches(const DriverConfig& config, Schedule& schedule, const BatchCall& batch, WorkerTally& tally,
                 LiveProgress* progress);

StepOutcome run_sync_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress);
StepOutcome run_threaded_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress);
StepOutcome run_coroutine_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress);

}  // namespace llmbench::load
