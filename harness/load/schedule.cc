#include "harness/load/schedule.h"

#include "common/interrupt.h"

namespace llmbench::load {

namespace {

ArrivalProcessPtr make_arrivals(const LoadPlan& plan) {
  ArrivalProcessPtr arrivals = plan.arrival == ArrivalKind::poisson
                                   ? make_poisson_arrivals(plan.rate, plan.seed)
                                   : make_constant_arrivals(plan.rate);
  return make_ramped_arrivals(std::move(arrivals), plan.ramp_up);
}

}  // namespace

Schedule::Schedule(const LoadPlan& plan, TimeSource& time) : plan_(plan), time_(time) {
  validate_load_plan(plan_);
  start_ns_ = time_.now_ns();
  measure_start_ns_ = start_ns_ + plan_.warmup_duration.count();
  if (plan_.model == LoadModel::open_loop) limiter_.emplace(time_, make_arrivals(plan_), start_ns_);

  // Nighthawk's order: graceful stop first, then failure, then the ordinary ends.
  chain_.add(make_interrupt_predicate());
  if (plan_.max_errors > 0) chain_.add(make_max_errors_predicate(plan_.max_errors));
  if (plan_.duration.count() > 0) {
    chain_.add(make_duration_predicate(measure_start_ns_ + plan_.duration.count()));
  }
  if (plan_.requests > 0) chain_.add(make_request_count_predicate(plan_.warmup_requests + plan_.requests));
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
  const std::int64_t intended = limiter_ ? limiter_->next_due_ns() : time_.now_ns();
  const TerminationChain::Verdict verdict = chain_.evaluate(progress(intended));
  if (verdict.status != TerminationStatus::proceed) {
    record_stop(verdict.reason);
    return std::nullopt;
  }
  Slot slot;
  slot.index = issued_.fetch_add(1);
  slot.intended_start_ns = limiter_ ? limiter_->take_next() : intended;
  slot.warmup = slot.index < plan_.warmup_requests || slot.intended_start_ns < measure_start_ns_;
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
