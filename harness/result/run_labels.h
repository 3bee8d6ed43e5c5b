#pragma once

#include <cstdint>

#include "common/enum_names.h"

namespace llmbench::result {

// Why a step stopped (docs/report-schema.md): the termination predicates' answer, recorded in
// the report. The load generator uses this enum (harness/load/termination_predicate.h).
enum class StopReason : std::uint8_t {
  none,         // still running
  requests,     // the request count was reached
  duration,     // the duration elapsed
  max_errors,   // too many errors (FAIL)
  interrupted,  // SIGINT/SIGTERM or request_interrupt()
  mixed,        // `llmbench merge` of steps that stopped for different reasons
};
constexpr auto enum_names(StopReason) {
  using enum StopReason;
  return std::to_array<EnumName<StopReason>>({{none, "none"}, {requests, "requests"}, {duration, "duration"},
                                              {max_errors, "max_errors"}, {interrupted, "interrupted"},
                                              {mixed, "mixed"}});
}

// How load was offered, as reports name it: a closed loop, or an open loop by its arrivals.
enum class LoadPattern : std::uint8_t { closed, constant, poisson, trace };
constexpr auto enum_names(LoadPattern) {
  using enum LoadPattern;
  return std::to_array<EnumName<LoadPattern>>(
      {{closed, "closed"}, {constant, "constant"}, {poisson, "poisson"}, {trace, "trace"}});
}

}  // namespace llmbench::result
