#include "harness/load/termination_predicate.h"

#include "common/interrupt.h"

namespace llmbench::load {

TerminationChain& TerminationChain::add(TerminationPredicatePtr predicate) {
  predicates_.push_back(std::move(predicate));
  return *this;
}

TerminationChain::Verdict TerminationChain::evaluate(const RunProgress& progress) const {
  for (const auto& predicate : predicates_) {
    const TerminationStatus status = predicate->evaluate(progress);
    if (status != TerminationStatus::proceed) return {status, predicate->reason()};
  }
  return {};
}

namespace {

class InterruptPredicate final : public TerminationPredicate {
 public:
  TerminationStatus evaluate(const RunProgress&) const override {
    return interrupt_requested() ? TerminationStatus::terminate : TerminationStatus::proceed;
  }
  StopReason reason() const override { return StopReason::interrupted; }
};

class DurationPredicate final : public TerminationPredicate {
 public:
  explicit DurationPredicate(std::int64_t deadline_ns) : deadline_ns_(deadline_ns) {}
  TerminationStatus evaluate(const RunProgress& p) const override {
    return p.now_ns >= deadline_ns_ ? TerminationStatus::terminate : TerminationStatus::proceed;
  }
  StopReason reason() const override { return StopReason::duration; }

 private:
  std::int64_t deadline_ns_;
};

class MaxErrorsPredicate final : public TerminationPredicate {
 public:
  explicit MaxErrorsPredicate(std::uint64_t max_errors) : max_errors_(max_errors) {}
  TerminationStatus evaluate(const RunProgress& p) const override {
    return p.errors >= max_errors_ ? TerminationStatus::fail : TerminationStatus::proceed;
  }
  StopReason reason() const override { return StopReason::max_errors; }

 private:
  std::uint64_t max_errors_;
};

class RequestCountPredicate final : public TerminationPredicate {
 public:
  explicit RequestCountPredicate(std::uint64_t total) : total_(total) {}
  TerminationStatus evaluate(const RunProgress& p) const override {
    return p.issued >= total_ ? TerminationStatus::terminate : TerminationStatus::proceed;
  }
  StopReason reason() const override { return StopReason::requests; }

 private:
  std::uint64_t total_;
};

}  // namespace

TerminationPredicatePtr make_interrupt_predicate() { return std::make_unique<InterruptPredicate>(); }
TerminationPredicatePtr make_duration_predicate(std::int64_t deadline_ns) {
  return std::make_unique<DurationPredicate>(deadline_ns);
}
TerminationPredicatePtr make_max_errors_predicate(std::uint64_t max_errors) {
  return std::make_unique<MaxErrorsPredicate>(max_errors);
}
TerminationPredicatePtr make_request_count_predicate(std::uint64_t total_slots) {
  return std::make_unique<RequestCountPredicate>(total_slots);
}

}  // namespace llmbench::load
