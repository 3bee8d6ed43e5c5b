#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "harness/load/shard.h"
#include "harness/result/run_labels.h"

namespace llmbench::load {

// How load is offered, independent of HTTP and of the execution model (docs/terminology.md).
enum class LoadModel : std::uint8_t {
  closed_loop,  // N virtual users, each sends its next request when the previous one ends
  open_loop,    // arrivals on a schedule (constant or Poisson), whether or not earlier ones ended
};

enum class ArrivalKind : std::uint8_t { constant, poisson, trace };

struct TraceEntry;  // harness/load/trace_replay.h

// One step of a scenario: what the Schedule needs to hand out slots and decide when to stop.
struct LoadPlan {
  LoadModel model = LoadModel::closed_loop;
  // Closed loop: the number of virtual users. Open loop: the cap on requests in flight
  // (0 = uncapped: one coroutine per arrival, coroutine mode only).
  std::uint32_t concurrency = 1;
  double rate = 0;  // open loop: arrivals per second
  ArrivalKind arrival = ArrivalKind::constant;
  std::uint64_t seed = 1;                  // Poisson arrivals; equal seeds give equal schedules
  // arrival = trace: the requests' timestamps, replayed at `trace_speed` times real time.
  std::shared_ptr<const std::vector<TraceEntry>> trace;
  double trace_speed = 1;
  std::chrono::nanoseconds think_time{0};  // closed loop: pause of a user between requests
  // Closed loop: users start evenly spread over ramp_up. Open loop: the rate rises linearly
  // from 0 to `rate` over ramp_up.
  std::chrono::nanoseconds ramp_up{0};

  // Stop conditions; at least one of requests and duration is set. Both: whichever comes first.
  std::uint64_t requests = 0;                   // measured slots (warm-up slots are extra)
  std::chrono::nanoseconds duration{0};         // measured time, after the warm-up
  std::uint64_t warmup_requests = 0;            // first slots excluded from results
  std::chrono::nanoseconds warmup_duration{0};  // slots intended to start within it are excluded
  std::uint64_t max_errors = 0;                 // 0: no limit; else the run FAILs at this many errors

  // The part of this plan one process offers (docs/distributed.md); every figure above stays the
  // global total. Open loop: the global arrivals thinned by arrival_owner, request counts
  // global. Closed loop: the global users of user_owner, request counts split by share_of.
  Shard shard;
};

constexpr auto enum_names(LoadModel) {
  return std::to_array<EnumName<LoadModel>>({{LoadModel::closed_loop, "closed"}, {LoadModel::open_loop, "open"}});
}
constexpr auto enum_names(ArrivalKind) {
  return std::to_array<EnumName<ArrivalKind>>(
      {{ArrivalKind::constant, "constant"}, {ArrivalKind::poisson, "poisson"}, {ArrivalKind::trace, "trace"}});
}
constexpr std::string_view load_model_name(LoadModel m) noexcept { return to_name(m); }
constexpr std::string_view arrival_kind_name(ArrivalKind a) noexcept { return to_name(a); }
// The report's name for how the plan offers load.
constexpr result::LoadPattern load_pattern(const LoadPlan& plan) noexcept {
  if (plan.model == LoadModel::closed_loop) return result::LoadPattern::closed;
  if (plan.arrival == ArrivalKind::trace) return result::LoadPattern::trace;
  return plan.arrival == ArrivalKind::constant ? result::LoadPattern::constant : result::LoadPattern::poisson;
}

// Throws std::invalid_argument naming the field when the plan cannot run (no stop condition,
// zero concurrency in closed loop, non-positive rate in open loop, ...).
void validate_load_plan(const LoadPlan& plan);

}  // namespace llmbench::load
