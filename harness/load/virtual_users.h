#pragma once

#include <deque>

#include "harness/client/client.h"
#include "harness/load/driver.h"
#include "harness/load/worker_tally.h"

namespace llmbench::load {

// The load loops, written once over harness::Executor for every execution model: closed-loop
// users and open-loop users under a concurrency cap (user u on loop u mod loops), the uncapped
// open-loop sender (coroutine mode), and one batch() call after another. `tallies` holds one
// WorkerTally per loop. Internal to run_step.
void drive_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress, harness::Client& client,
                std::deque<WorkerTally>& tallies);

}  // namespace llmbench::load
