#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>

#include "harness/load/load_plan.h"
#include "harness/load/rate_limiter.h"
#include "harness/load/termination_predicate.h"
#include "harness/load/time_source.h"

namespace llmbench::load {

// One unit of work handed to a virtual user: send request `index`, intended to start at
// `intended_start_ns`. Latency is measured from there (coordinated-omission corrected).
struct Slot {
  std::uint64_t index = 0;
  std::int64_t intended_start_ns = 0;
  bool warmup = false;  // excluded from results
  // When a user claimed it. Open loop: a claim after the intended start means every user
  // (the concurrency cap) was busy until then: cap wait, not harness lateness.
  std::int64_t claimed_ns = 0;
};

// The sequencer: hands out slots to any number of virtual users (threads or coroutines)
// and decides when the run stops. It knows nothing of HTTP or execution models.
// Thread-safe. Closed loop: a slot is intended to start when it is claimed. Open loop:
// slots follow the arrival process; a user claims the next one ahead of time and waits
// until it is due, and a late claim (all users busy) shows up as queue wait.
class Schedule {
 public:
  // Starts the clock now. `time` must outlive the Schedule. Throws std::invalid_argument
  // for an invalid plan (validate_load_plan).
  Schedule(const LoadPlan& plan, TimeSource& time);

  // Restarts the clock now, before the first claim: the drivers call it once their clients,
  // threads and event loops are ready, so setting them up never eats into the measured
  // window (or makes the first open-loop arrivals late). Ignored after the first claim.
  void start();

  // The next slot, or nullopt once the run is stopping (no more slots, ever).
  std::optional<Slot> claim();

  // Reports a finished slot: `errors` failed requests in it (a batch slot holds several).
  void complete(const Slot& slot, std::uint64_t errors);

  // True once the run must abort: interrupted, or FAILed on max errors. Users abandon slots
  // they have not sent and in-flight requests may be cancelled. Reaching the request count
  // or the duration is not an abort: claimed slots are still sent and finish normally.
  // Polls the interrupt flag, so a user waiting for its slot notices Ctrl-C.
  bool stopping();
  // True once claim() has returned nullopt (no more slots), for whatever reason.
  bool exhausted() const { return exhausted_.load(std::memory_order_relaxed); }

  StopReason stop_reason() const;
  bool failed() const { return stop_reason() == StopReason::max_errors; }

  const LoadPlan& plan() const { return plan_; }
  std::int64_t start_ns() const { return start_ns_; }
  // Start of the measured window (docs/metrics.md): the end of a duration warm-up, the
  // intended start of the first measured slot after a warm-up given in requests, else
  // start_ns(). kUnknownNs while a warm-up in requests is still running.
  std::int64_t measure_start_ns() const { return measure_start_ns_.load(std::memory_order_acquire); }
  // End of the measured window as planned: measure start + duration; kUnknownNs when the
  // step is bounded by its request count only (then the last measured request ends it).
  std::int64_t measure_end_ns() const;
  static constexpr std::int64_t kUnknownNs = std::numeric_limits<std::int64_t>::max();
  // Closed-loop ramp-up: when virtual user `user` (0-based) of `users` starts claiming.
  std::int64_t user_start_ns(std::uint32_t user, std::uint32_t users) const;

  // Measured slots planned (requests), 0 if the run is bounded by duration only. Sharded:
  // this shard's part (exact for a closed loop; the expected part for an open loop).
  std::uint64_t planned_measured_slots() const { return share_of(plan_.requests, plan_.shard); }

  // Closed loop: whether global virtual user `user` runs in this process (its shard).
  bool runs_user(std::uint32_t user) const { return user_owner(user, plan_.shard.count) == plan_.shard.index; }
  // Open loop with a concurrency cap: this shard's part of the global cap (the users it runs).
  std::uint32_t local_concurrency() const {
    return static_cast<std::uint32_t>(share_of(plan_.concurrency, plan_.shard));
  }

  std::uint64_t issued() const { return issued_.load(std::memory_order_relaxed); }
  std::uint64_t completed() const { return completed_.load(std::memory_order_relaxed); }
  std::uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  TimeSource& time() const { return time_; }

 private:
  RunProgress progress(std::int64_t now_ns) const;
  // Open loop, sharded: passes over the global arrivals other shards keep (mutex_ held).
  void skip_foreign_arrivals();
  // Warm-up and measured slots this process hands out in all (0: no request bound).
  std::uint64_t slot_limit() const;
  void record_stop(StopReason reason);
  void start_clock();

  LoadPlan plan_;
  TimeSource& time_;
  std::int64_t start_ns_;
  std::atomic<std::int64_t> measure_start_ns_{kUnknownNs};
  bool claimed_any_ = false;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::optional<RateLimiter> limiter_;  // open loop only
  TerminationChain chain_;
  std::atomic<bool> exhausted_{false};
  std::atomic<bool> aborted_{false};
  std::atomic<StopReason> reason_{StopReason::none};
  std::atomic<std::uint64_t> issued_{0};
  std::uint64_t arrival_ = 0;  // open loop: the global index of the next arrival (mutex_ held)
  std::atomic<std::uint64_t> completed_{0};
  std::atomic<std::uint64_t> errors_{0};
};

}  // namespace llmbench::load
