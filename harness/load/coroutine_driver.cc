// The coroutine execution model: virtual users are coroutines spread over EventLoopPool's
// loops (one io_context per thread). An uncapped open loop spawns one coroutine per arrival.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <exception>
#include <mutex>

#include "common/clock.h"
#include "harness/client/event_loop_pool.h"
#include "harness/load/blocking_user.h"
#include "harness/load/failure_pause.h"
#include "harness/load/step_monitor.h"

namespace llmbench::load {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr std::int64_t kWaitStepNs = 20'000'000;  // a waiting coroutine checks for Ctrl-C this often

// Waits for a set of coroutines spawned on one single-threaded io_context.
class WaitGroup {
 public:
  explicit WaitGroup(const asio::any_io_executor& executor)
      : timer_(executor, asio::steady_timer::time_point::max()) {}
  void add() { ++pending_; }
  void done() {
    if (--pending_ == 0) timer_.cancel();
  }
  awaitable<void> wait() {
    while (pending_ > 0) {
      boost::system::error_code ec;  // operation_aborted is the wake-up
      co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

 private:
  asio::steady_timer timer_;
  std::size_t pending_ = 0;
};

// Everything a loop's coroutines share; touched only on that loop's thread, except
// `first_error`, which is guarded.
struct LoopContext {
  const DriverConfig& config;
  Schedule& schedule;
  LiveProgress* progress;
  harness::CoroutineClient& client;
  WorkerTally& tally;
  std::mutex& error_mutex;
  std::exception_ptr& first_error;

  void keep_error(std::exception_ptr e) const {
    if (!e) return;
    std::lock_guard lock(error_mutex);
    if (!first_error) first_error = e;
  }
};

awaitable<bool> async_wait_until_or_abort(Schedule& schedule, std::int64_t deadline_ns) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!schedule.stopping()) {
    const std::int64_t now = steady_now_ns();
    if (now >= deadline_ns) co_return true;
    timer.expires_at(steady_from_ns(std::min(deadline_ns, now + kWaitStepNs)));
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return false;
}

// Returns the pause a closed-loop user owes the server before its next request (failure_pause.h).
awaitable<std::int64_t> send_one(const LoopContext& ctx, Slot slot, FailurePacer* pacer) {
  const harness::ChatRequest request = build_request(ctx.config, slot.index);
  const LoadPlan& plan = ctx.schedule.plan();
  ctx.tally.on_send(slot, steady_now_ns(), plan.model == LoadModel::open_loop, plan.concurrency > 0);
  // Not a ?: with co_await in each branch: GCC 12 destroys that temporary twice.
  harness::InvokeResult result;
  if (ctx.config.operation == Operation::stream) {
    result = co_await ctx.client.astream(request, nullptr, slot.intended_start_ns);
  } else {
    result = co_await ctx.client.ainvoke(request, slot.intended_start_ns);
  }
  const std::int64_t pause = pacer != nullptr ? pacer->after(ctx.config.endpoint.retry, result.record).count() : 0;
  ctx.tally.on_result(slot, result, ctx.schedule, ctx.progress);
  co_return pause;
}

awaitable<void> user(const LoopContext& ctx, std::uint32_t index, std::uint32_t users) {
  const LoadPlan& plan = ctx.schedule.plan();
  const bool open_loop = plan.model == LoadModel::open_loop;
  if (!open_loop &&
      !co_await async_wait_until_or_abort(ctx.schedule, ctx.schedule.user_start_ns(index, users))) {
    co_return;
  }
  FailurePacer pacer(index);
  while (auto slot = ctx.schedule.claim()) {
    if (open_loop && !co_await async_wait_until_or_abort(ctx.schedule, slot->intended_start_ns)) co_return;
    if (ctx.schedule.stopping()) co_return;
    const std::int64_t pause = co_await send_one(ctx, *slot, open_loop ? nullptr : &pacer);
    // No pause beyond the planned end: no slot would follow it.
    if (pause > 0 && !co_await async_wait_until_or_abort(
                         ctx.schedule, std::min(steady_now_ns() + pause, ctx.schedule.measure_end_ns()))) {
      co_return;
    }
    if (plan.think_time.count() > 0 &&
        !co_await async_wait_until_or_abort(ctx.schedule, steady_now_ns() + plan.think_time.count())) {
      co_return;
    }
  }
}

// Closed loop, or an open loop capped at `concurrency`: this loop's share of the users
// (user u runs on loop u mod loops).
awaitable<void> run_users(LoopContext ctx, std::size_t loop, std::size_t loops) {
  const auto executor = co_await asio::this_coro::executor;
  const std::uint32_t users = ctx.schedule.plan().concurrency;
  WaitGroup group(executor);
  for (std::uint32_t u = static_cast<std::uint32_t>(loop); u < users;
       u += static_cast<std::uint32_t>(loops)) {
    group.add();
    asio::co_spawn(executor, user(ctx, u, users), [&group, &ctx](std::exception_ptr e) {
      ctx.keep_error(e);
      group.done();
    });
  }
  co_await group.wait();
}

// Uncapped open loop: this loop claims arrivals, waits for each, and spawns its request.
awaitable<void> dispatch_arrivals(LoopContext ctx) {
  const auto executor = co_await asio::this_coro::executor;
  WaitGroup group(executor);
  while (auto slot = ctx.schedule.claim()) {
    if (!co_await async_wait_until_or_abort(ctx.schedule, slot->intended_start_ns)) break;
    group.add();
    asio::co_spawn(executor, send_one(ctx, *slot, nullptr), [&group, &ctx](std::exception_ptr e, std::int64_t) {
      ctx.keep_error(e);
      group.done();
    });
  }
  co_await group.wait();
}

// Batch operation: one abatch() at a time on loop 0, max_concurrency = concurrency.
awaitable<void> run_batches_on_loop(LoopContext ctx) {
  const LoadPlan& plan = ctx.schedule.plan();
  harness::BatchOptions options;
  options.max_concurrency = plan.concurrency;
  std::vector<harness::ChatRequest> requests(ctx.config.batch_size);
  while (auto slot = ctx.schedule.claim()) {
    if (ctx.schedule.stopping()) co_return;
    const std::uint64_t first = slot->index * ctx.config.batch_size;
    for (std::uint32_t i = 0; i < ctx.config.batch_size; ++i)
      requests[i] = build_request(ctx.config, first + i);
    ctx.tally.on_send(*slot, steady_now_ns(), false);
    std::vector<harness::InvokeResult> results = co_await ctx.client.abatch(requests, options);
    ctx.tally.on_results(*slot, first, results, ctx.schedule, ctx.progress);
    if (plan.think_time.count() > 0 &&
        !co_await async_wait_until_or_abort(ctx.schedule, steady_now_ns() + plan.think_time.count())) {
      co_return;
    }
  }
}

}  // namespace

StepOutcome run_coroutine_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress) {
  harness::EventLoopPool pool(config.endpoint, config.event_loops);
  const std::size_t loops = pool.size();
  std::deque<WorkerTally> tallies;
  for (std::size_t i = 0; i < loops; ++i) tallies.emplace_back(config.slo);
  std::mutex error_mutex;
  std::exception_ptr first_error;
  auto context_for = [&](std::size_t loop, harness::CoroutineClient& client) {
    return LoopContext{config, schedule, progress, client, tallies[loop], error_mutex, first_error};
  };
  schedule.start();  // the clock starts once the event loops are ready (docs/metrics.md)
  {
    StepMonitor monitor(schedule, progress, [&pool] { pool.cancel_all(); });
    const LoadPlan& plan = schedule.plan();
    if (config.operation == Operation::batch) {
      pool.run_on_loop(0, [&](std::size_t loop, harness::CoroutineClient& client) {
        return run_batches_on_loop(context_for(loop, client));
      });
    } else if (plan.model == LoadModel::open_loop && plan.concurrency == 0) {
      pool.run_on_loops([&](std::size_t loop, harness::CoroutineClient& client) {
        return dispatch_arrivals(context_for(loop, client));
      });
    } else {
      pool.run_on_loops([&](std::size_t loop, harness::CoroutineClient& client) {
        return run_users(context_for(loop, client), loop, loops);
      });
    }
  }
  if (first_error) std::rethrow_exception(first_error);
  StepOutcome outcome;
  outcome.recorder = metrics::MetricsRecorder(config.slo);
  for (const auto& tally : tallies) tally.merge_into(outcome);
  return outcome;
}

}  // namespace llmbench::load
