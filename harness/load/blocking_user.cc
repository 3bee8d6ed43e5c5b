#include "harness/load/blocking_user.h"

#include <algorithm>

#include "harness/load/failure_pause.h"

namespace llmbench::load {

namespace {
// A waiting user checks for Ctrl-C this often.
constexpr std::int64_t kWaitStepNs = 20'000'000;
}  // namespace

bool wait_until_or_abort(Schedule& schedule, std::int64_t deadline_ns) {
  TimeSource& time = schedule.time();
  while (!schedule.stopping()) {
    const std::int64_t now = time.now_ns();
    if (now >= deadline_ns) return true;
    time.sleep_until(std::min(deadline_ns, now + kWaitStepNs));
  }
  return false;
}

void run_blocking_user(const DriverConfig& config, Schedule& schedule, std::uint32_t user,
                       std::uint32_t users, harness::SyncClient& client, WorkerTally& tally,
                       LiveProgress* progress) {
  const LoadPlan& plan = schedule.plan();
  const bool open_loop = plan.model == LoadModel::open_loop;
  if (!open_loop && !wait_until_or_abort(schedule, schedule.user_start_ns(user, users))) return;
  FailurePacer pacer(user);
  while (auto slot = schedule.claim()) {
    if (open_loop && !wait_until_or_abort(schedule, slot->intended_start_ns)) return;
    if (schedule.stopping()) return;
    const harness::ChatRequest request = build_request(config, slot->index);
    tally.on_send(*slot, schedule.time().now_ns(), open_loop, true);
    harness::InvokeResult result = config.operation == Operation::stream
                                       ? client.stream(request, nullptr, slot->intended_start_ns)
                                       : client.invoke(request, slot->intended_start_ns);
    // A closed-loop user honours the server's retry-after (or backs off) before its next
    // request; an open loop keeps its schedule.
    const std::int64_t pause = open_loop ? 0 : pacer.after(config.endpoint.retry, result.record).count();
    tally.on_result(*slot, result, schedule, progress);
    // No pause beyond the planned end: no slot would follow it.
    if (pause > 0 &&
        !wait_until_or_abort(schedule, std::min(schedule.time().now_ns() + pause, schedule.measure_end_ns()))) {
      return;
    }
    if (plan.think_time.count() > 0 &&
        !wait_until_or_abort(schedule, schedule.time().now_ns() + plan.think_time.count())) {
      return;
    }
  }
}

void run_batches(const DriverConfig& config, Schedule& schedule, const BatchCall& batch, WorkerTally& tally,
                 LiveProgress* progress) {
  const LoadPlan& plan = schedule.plan();
  std::vector<harness::ChatRequest> requests(config.batch_size);
  while (auto slot = schedule.claim()) {
    if (schedule.stopping()) return;
    const std::uint64_t first = slot->index * config.batch_size;
    for (std::uint32_t i = 0; i < config.batch_size; ++i) requests[i] = build_request(config, first + i);
    tally.on_send(*slot, schedule.time().now_ns(), false);
    std::vector<harness::InvokeResult> results = batch(requests);
    tally.on_results(*slot, first, results, schedule, progress);
    if (plan.think_time.count() > 0 &&
        !wait_until_or_abort(schedule, schedule.time().now_ns() + plan.think_time.count())) {
      return;
    }
  }
}

}  // namespace llmbench::load
