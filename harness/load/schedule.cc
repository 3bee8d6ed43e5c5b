#include "harness/load/schedule.h"

#include "harness/load/trace_replay.h"

#include <algorithm>

#include "common/interrupt.h"

namespace llmbench::load {

namespace {

ArrivalProcessPtr make_arrivals(const LoadPlan& plan) {
  if (plan.arrival == ArrivalKind::trace) return make_trace_arrivals(plan.trace, plan.trace_speed);  // timed already
  ArrivalProcessPtr arrivals = plan.arrival == ArrivalKind::poisson
                                   ? make_poisson_arrivals(plan.rate, plan.seed)
                                   : make_constant_arrivals(plan.rate);
  return make_ramped_arrivals(std::move(arrivals), plan.ramp_up);
}

}  // namespace

Schedule::Schedule(const LoadPlan& plan, TimeSource& time) : plan_(plan), time_(time) {
  validate_load_plan(plan_);
  start_clock();

  // Nighthawk's order: graceful stop first, then failure, then the ordinary ends. The
  // duration is checked in claim(): its deadline moves with the measure start.
  chain_.add(make_interrupt_predicate());
  if (plan_.max_errors > 0) chain_.add(make_max_errors_predicate(plan_.max_errors));
}

// Called from the constructor or with mutex_ held.
void Schedule::start_clock() {
  start_ns_ = time_.now_ns();
  // A warm-up given in requests ends when its last slot is handed out, whenever that is:
  // the measured window starts with the first measured slot (claim()).
  measure_start_ns_.store(plan_.warmup_requests > 0 ? kUnknownNs : start_ns_ + plan_.warmup_duration.count(),
                          std::memory_order_release);
  if (plan_.model == LoadModel::open_loop) limiter_.emplace(time_, make_arrivals(plan_), start_ns_);
  arrival_ = 0;
}

// Every shard walks the same global arrival schedule and keeps the arrivals that hash to it.
void Schedule::skip_foreign_arrivals() {
  if (!limiter_ || !plan_.shard.sharded()) return;
  const std::uint64_t limit = slot_limit();
  while (arrival_owner(plan_.seed, arrival_, plan_.shard.count) != plan_.shard.index) {
    if (limit > 0 && arrival_ >= limit) return;  // the global count is reached: claim() stops
    limiter_->take_next();
    ++arrival_;
  }
}

// Open loop: the global count (arrival indices are global). Closed loop: this shard's part.
std::uint64_t Schedule::slot_limit() const {
  if (plan_.requests == 0) return 0;
  if (limiter_) return plan_.warmup_requests + plan_.requests;
  return share_of(plan_.warmup_requests, plan_.shard) + share_of(plan_.requests, plan_.shard);
}

void Schedule::start() {
  std::lock_guard lock(mutex_);
  if (!claimed_any_) start_clock();
}

std::int64_t Schedule::measure_end_ns() const {
  const std::int64_t start = measure_start_ns();
  if (plan_.duration.count() <= 0 || start == kUnknownNs) return kUnknownNs;
  return start + plan_.duration.count();
}

RunProgress Schedule::progress(std::int64_t now_ns) const {
  return RunProgress{now_ns, issued(), completed(), errors()};
}

// Called with mutex_ held.
void Schedule::record_stop(StopReason reason) {
  // An abort (Ctrl-C, max errors) overrides an ordinary end that is still draining.
  const bool abort = reason == StopReason::interrupted || reason == StopReason::max_errors;
  if (reason_.load() == StopReason::none || (abort && !aborted_.load())) reason_.store(reason);
  if (abort) aborted_.store(true);
  exhausted_.store(true);
}

std::optional<Slot> Schedule::claim() {
  std::lock_guard lock(mutex_);
  if (exhausted_.load()) return std::nullopt;
  claimed_any_ = true;
  const std::int64_t now = time_.now_ns();
  skip_foreign_arrivals();
  const std::int64_t intended = limiter_ ? limiter_->next_due_ns() : now;
  const TerminationChain::Verdict verdict = chain_.evaluate(progress(intended));
  if (verdict.status != TerminationStatus::proceed) {
    record_stop(verdict.reason);
    return std::nullopt;
  }
  // The duration counts from the measure start, so a warm-up (in time or in requests)
  // always comes on top of it.
  if (const std::int64_t end = measure_end_ns(); end != kUnknownNs && intended >= end) {
    record_stop(StopReason::duration);
    return std::nullopt;
  }
  // Open loop: the global arrival index (equal to issued() unsharded); closed loop: this shard's count.
  const std::uint64_t next = limiter_ ? arrival_ : issued();
  if (const std::uint64_t limit = slot_limit(); limit > 0 && next >= limit) {
    record_stop(StopReason::requests);
    return std::nullopt;
  }
  Slot slot;
  slot.index = next;
  issued_.fetch_add(1);
  slot.intended_start_ns = limiter_ ? limiter_->take_next() : intended;
  if (limiter_) ++arrival_;
  slot.claimed_ns = now;
  const std::uint64_t warmup = limiter_ ? plan_.warmup_requests : share_of(plan_.warmup_requests, plan_.shard);
  if (slot.index < warmup) {
    slot.warmup = true;
  } else if (measure_start_ns() == kUnknownNs) {
    measure_start_ns_.store(std::max(slot.intended_start_ns, start_ns_ + plan_.warmup_duration.count()),
                            std::memory_order_release);
  }
  slot.warmup = slot.warmup || slot.intended_start_ns < measure_start_ns();
  return slot;
}

void Schedule::complete(const Slot& /*slot*/, std::uint64_t errors) {
  completed_.fetch_add(1, std::memory_order_relaxed);
  if (errors == 0) return;
  const std::uint64_t total = errors_.fetch_add(errors, std::memory_order_relaxed) + errors;
  if (plan_.max_errors > 0 && total >= plan_.max_errors) {
    std::lock_guard lock(mutex_);
    record_stop(StopReason::max_errors);
  }
}

bool Schedule::stopping() {
  if (!aborted_.load() && interrupt_requested()) {
    std::lock_guard lock(mutex_);
    record_stop(StopReason::interrupted);
  }
  return aborted_.load();
}

StopReason Schedule::stop_reason() const { return reason_.load(); }

std::int64_t Schedule::user_start_ns(std::uint32_t user, std::uint32_t users) const {
  if (users == 0 || plan_.ramp_up.count() <= 0) return start_ns_;
  return start_ns_ + static_cast<std::int64_t>(static_cast<double>(plan_.ramp_up.count()) * user / users);
}

}  // namespace llmbench::load
