#include "harness/load/virtual_users.h"

#include <algorithm>
#include <vector>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/clock.h"
#include "harness/client/wait_group.h"
#include "harness/load/failure_pause.h"

namespace llmbench::load {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr std::int64_t kWaitStepNs = 20'000'000;  // a waiting user checks for Ctrl-C this often

// What one loop's users share; touched only on that loop's thread.
struct LoopContext {
  const DriverConfig& config;
  Schedule& schedule;
  LiveProgress* progress;
  harness::Executor& executor;
  WorkerTally& tally;
};

// False if the run aborted meanwhile.
awaitable<bool> wait_until_or_abort(Schedule& schedule, std::int64_t deadline_ns) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!schedule.stopping()) {
    const std::int64_t now = schedule.time().now_ns();
    if (now >= deadline_ns) co_return true;
    timer.expires_at(steady_from_ns(std::min(deadline_ns, now + kWaitStepNs)));
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return false;
}

// One slot's request, sent no earlier than its intended start (the executor waits), and
// accounted. Returns the pause a closed-loop user owes the server before its next request
// (failure_pause.h).
awaitable<std::int64_t> send_one(const LoopContext& ctx, Slot slot, FailurePacer* pacer) {
  const harness::ChatRequest request = build_request(ctx.config, slot.index);
  const LoadPlan& plan = ctx.schedule.plan();
  harness::InvokeResult result = co_await ctx.executor.send(
      request, harness::SendSpec{.index = slot.index,
                                 .intended_start_ns = slot.intended_start_ns,
                                 .stream = ctx.config.operation == Operation::stream,
                                 .keep_text = false});
  ctx.tally.on_send(slot, result.record.start_ns, plan.model == LoadModel::open_loop, plan.concurrency > 0);
  const std::int64_t pause = pacer != nullptr ? pacer->after(ctx.config.endpoint.retry, result.record).count() : 0;
  ctx.tally.on_result(slot, result, ctx.schedule, ctx.progress);
  co_return pause;
}

// A multi-turn session in one slot (session.h): turn k is sent at the previous reply's end plus
// the think time (its intended start, so a late send counts against the latency), carrying the
// history and the server's replies. A failed turn ends the session (counted failed); a turn
// due after the measured window or after an abort is not sent (the session is counted cut).
// Returns the failure pause like send_one.
awaitable<std::int64_t> run_session(const LoopContext& ctx, Slot slot, FailurePacer* pacer) {
  Schedule& schedule = ctx.schedule;
  const LoadPlan& plan = schedule.plan();
  const SessionShape& shape = ctx.config.session;
  const bool stream = ctx.config.operation == Operation::stream;
  const std::uint64_t session = slot.index;
  const std::uint32_t turns = session_turns(shape, plan.seed, session);
  SessionHistory history;
  std::int64_t intended = slot.intended_start_ns;
  std::int64_t last_end = intended;
  std::int64_t pause = 0;
  std::uint32_t sent = 0;
  metrics::SessionEnd end = metrics::SessionEnd::completed;
  for (std::uint32_t turn = 0; turn < turns; ++turn) {
    if (turn > 0 && (schedule.stopping() || intended >= schedule.measure_end_ns())) {
      end = metrics::SessionEnd::cut;
      // The user is still in this session until the window ends: a closed-loop user does not
      // start another one in the time it would have spent thinking.
      if (!schedule.stopping()) co_await wait_until_or_abort(schedule, schedule.measure_end_ns());
      break;
    }
    harness::ChatRequest next = ctx.config.prompts->turn_for(session, turn);
    harness::apply_defaults(next, ctx.config.request_fields);
    const harness::ChatRequest& request = history.next_request(std::move(next));
    harness::InvokeResult result = co_await ctx.executor.send(
        request, harness::SendSpec{.index = session, .intended_start_ns = intended, .stream = stream, .keep_text = true});
    // Schedule lag and cap wait are the arrival's: the session's first turn.
    if (turn == 0) {
      ctx.tally.on_send(slot, result.record.start_ns, plan.model == LoadModel::open_loop, plan.concurrency > 0);
    }
    if (pacer != nullptr) pause = pacer->after(ctx.config.endpoint.retry, result.record).count();
    const harness::RequestRecord& record = result.record;
    if (!ctx.tally.on_turn(slot, turn, result, stream, schedule, ctx.progress)) {
      end = metrics::SessionEnd::cut;  // cancelled by the abort of the run: not a request of it
      break;
    }
    ++sent;
    last_end = record.end_ns;
    if (!record.ok()) {
      end = metrics::SessionEnd::failed;
      break;
    }
    history.add_reply(std::move(result.text), record.output_tokens - std::min(record.output_tokens, record.reasoning_tokens));
    intended = record.end_ns + think_time_ns(shape, plan.seed, session, turn);
  }
  ctx.tally.on_session_end(slot, end, sent, slot.intended_start_ns, last_end, schedule);
  co_return pause;
}

// One slot: one request, or a session of several.
awaitable<std::int64_t> run_slot(const LoopContext& ctx, Slot slot, FailurePacer* pacer) {
  if (ctx.config.session.multi_turn()) co_return co_await run_session(ctx, slot, pacer);
  co_return co_await send_one(ctx, slot, pacer);
}

// One virtual user: claim a slot, send it (open loop: when due), account it, pause after a
// failure and think (closed loop), repeat until the schedule runs out or aborts.
awaitable<void> user(const LoopContext& ctx, std::uint32_t index, std::uint32_t users) {
  Schedule& schedule = ctx.schedule;
  const LoadPlan& plan = schedule.plan();
  const bool open_loop = plan.model == LoadModel::open_loop;
  if (!open_loop && !co_await wait_until_or_abort(schedule, schedule.user_start_ns(index, users))) co_return;
  FailurePacer pacer(index);
  std::uint64_t sent = 0;
  while (auto slot = schedule.claim()) {
    if (schedule.stopping()) co_return;
    // Closed loop: the request (and its prompt) is user `index`'s sent-th, numbered globally, so
    // what each user sends does not depend on how many shards run the users (shard.h). With
    // sessions the slot is a session, numbered the same way: it belongs whole to this shard.
    if (!open_loop) slot->index = user_request_index(index, sent++, users);
    const std::int64_t pause = co_await run_slot(ctx, *slot, open_loop ? nullptr : &pacer);
    const std::int64_t now = schedule.time().now_ns();
    // No pause beyond the planned end: no slot would follow it.
    if (pause > 0 && !co_await wait_until_or_abort(schedule, std::min(now + pause, schedule.measure_end_ns()))) {
      co_return;
    }
    if (plan.think_time.count() > 0 &&
        !co_await wait_until_or_abort(schedule, schedule.time().now_ns() + plan.think_time.count())) {
      co_return;
    }
  }
}

// This process's users, spread over the loops by position: user u (of this shard's users) on
// loop u mod loops. Closed loop: the users keep their global numbers (user_owner); open loop:
// this shard's part of the global cap.
awaitable<void> run_users(LoopContext ctx, std::size_t loop, std::size_t loops) {
  const Schedule& schedule = ctx.schedule;
  const bool open_loop = schedule.plan().model == LoadModel::open_loop;
  const std::uint32_t users = open_loop ? schedule.local_concurrency() : schedule.plan().concurrency;
  std::vector<std::uint32_t> mine;
  for (std::uint32_t u = 0; u < users; ++u) {
    if (open_loop || schedule.runs_user(u)) mine.push_back(u);
  }
  harness::WaitGroup group(co_await asio::this_coro::executor);
  for (std::size_t p = loop; p < mine.size(); p += loops) {
    group.spawn([&ctx, u = mine[p], users] { return user(ctx, u, users); });
  }
  co_await group.wait();
}

// Uncapped open loop: this loop claims each arrival when it is due (never ahead, so the
// schedule's stop rules see the true time) and spawns its request.
awaitable<void> dispatch_arrivals(LoopContext ctx) {
  harness::WaitGroup group(co_await asio::this_coro::executor);
  while (auto slot = ctx.schedule.claim()) {
    if (!co_await wait_until_or_abort(ctx.schedule, slot->intended_start_ns)) break;
    group.spawn([&ctx, slot = *slot] { return run_slot(ctx, slot, nullptr); });
  }
  co_await group.wait();
}

// Batch operation: one batch() call (a sliding window of `concurrency` over every loop) after
// another, from the calling thread.
void run_batches(const DriverConfig& config, Schedule& schedule, LiveProgress* progress, harness::Client& client,
                 WorkerTally& tally) {
  const LoadPlan& plan = schedule.plan();
  harness::BatchOptions options;
  options.max_concurrency = plan.concurrency;
  options.keep_text = false;
  std::vector<harness::ChatRequest> requests(config.batch_size);
  while (auto slot = schedule.claim()) {
    if (schedule.stopping()) return;
    const std::uint64_t first = slot->index * config.batch_size;
    for (std::uint32_t i = 0; i < config.batch_size; ++i) requests[i] = build_request(config, first + i);
    std::vector<harness::InvokeResult> results = client.batch(requests, options);
    tally.on_results(*slot, first, results, schedule, progress);
    if (plan.think_time.count() <= 0) continue;
    bool go_on = false;
    client.run_on_loop(0, [&](std::size_t, harness::Executor&) -> awaitable<void> {
      go_on = co_await wait_until_or_abort(schedule, schedule.time().now_ns() + plan.think_time.count());
    });
    if (!go_on) return;
  }
}

}  // namespace

void drive_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress, harness::Client& client,
                std::deque<WorkerTally>& tallies) {
  const LoadPlan& plan = schedule.plan();
  if (config.operation == Operation::batch) {
    run_batches(config, schedule, progress, client, tallies.front());
    return;
  }
  const bool uncapped = plan.model == LoadModel::open_loop && plan.concurrency == 0;
  client.run_on_loops([&](std::size_t loop, harness::Executor& executor) {
    const LoopContext ctx{config, schedule, progress, executor, tallies[loop]};
    return uncapped ? dispatch_arrivals(ctx) : run_users(ctx, loop, client.size());
  });
}

}  // namespace llmbench::load
