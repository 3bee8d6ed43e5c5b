#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "harness/result/run_labels.h"

namespace llmbench::load {

// Nighthawk's termination model: every predicate answers PROCEED, TERMINATE (stop issuing
// work, report normally) or FAIL (stop, the run failed). Ctrl-C is just another predicate.
enum class TerminationStatus : std::uint8_t { proceed, terminate, fail };

// Why a run stopped; recorded in the report, whose model owns the enum and its names.
using result::StopReason;

// What predicates look at, sampled once per decision so they all agree on "now".
struct RunProgress {
  // Closed loop: the current time. Open loop: the intended start of the slot about to be
  // handed out, so a duration ends on the schedule rather than on when workers ask.
  std::int64_t now_ns = 0;
  std::uint64_t issued = 0;     // slots handed out so far (warm-up included)
  std::uint64_t completed = 0;  // slots finished
  std::uint64_t errors = 0;     // failed requests so far (warm-up included)
};

class TerminationPredicate {
 public:
  virtual ~TerminationPredicate() = default;
  virtual TerminationStatus evaluate(const RunProgress& progress) const = 0;
  // What stopping on this predicate means for the report.
  virtual StopReason reason() const = 0;
};
using TerminationPredicatePtr = std::unique_ptr<TerminationPredicate>;

// Evaluated in the order added; the first answer other than PROCEED wins.
class TerminationChain {
 public:
  TerminationChain& add(TerminationPredicatePtr predicate);
  struct Verdict {
    TerminationStatus status = TerminationStatus::proceed;
    StopReason reason = StopReason::none;
  };
  Verdict evaluate(const RunProgress& progress) const;
  bool empty() const { return predicates_.empty(); }

 private:
  std::vector<TerminationPredicatePtr> predicates_;
};

// common/interrupt.h's flag → TERMINATE.
TerminationPredicatePtr make_interrupt_predicate();
// now >= deadline_ns → TERMINATE.
TerminationPredicatePtr make_duration_predicate(std::int64_t deadline_ns);
// errors >= max_errors → FAIL.
TerminationPredicatePtr make_max_errors_predicate(std::uint64_t max_errors);
// issued >= total_slots → TERMINATE.
TerminationPredicatePtr make_request_count_predicate(std::uint64_t total_slots);

}  // namespace llmbench::load
