#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "harness/client/invoke_result.h"
#include "harness/load/driver.h"
#include "harness/load/request_export.h"
#include "harness/load/schedule.h"

namespace llmbench::load {

// What one worker (thread, event loop) measured; owned and touched by that worker only,
// merged into a StepOutcome when the step ends. Internal to the drivers.
class WorkerTally {
 public:
  explicit WorkerTally(const metrics::Slo& slo) : recorder_(slo) {}

  // Notes that a slot's request is being sent now. Open loop: how late it is after its
  // intended start, split into cap wait (`capped`: all users busy until the slot was claimed)
  // and schedule lag (the harness's own lateness after that).
  void on_send(const Slot& slot, std::int64_t now_ns, bool open_loop, bool capped = true);

  // Accounts the results of one slot (one request, or a whole batch) and reports the slot
  // complete to the schedule. `first_index` is the global index of results[0].
  void on_results(const Slot& slot, std::uint64_t first_index, std::vector<harness::InvokeResult>& results,
                  Schedule& schedule, LiveProgress* progress);
  void on_result(const Slot& slot, harness::InvokeResult& result, Schedule& schedule, LiveProgress* progress);

  // Multi-turn sessions: accounts turn `turn` (0-based) of the session in `slot` like
  // on_result, without completing the slot; false when the request does not count (cancelled
  // by an abort). on_session_end() then records how the session ended and completes the slot.
  bool on_turn(const Slot& slot, std::uint32_t turn, harness::InvokeResult& result, bool stream, Schedule& schedule,
               LiveProgress* progress);
  void on_session_end(const Slot& slot, metrics::SessionEnd end, std::uint32_t turns, std::int64_t start_ns,
                      std::int64_t end_ns, Schedule& schedule);

  // Hands every counted request (warm-up too) to `sink` as a line of `step` (--save-requests).
  void export_to(RequestExport* sink, const ExportStep* step) {
    export_ = sink;
    export_step_ = step;
  }

  // Adds this worker's figures to `outcome`.
  void merge_into(StepOutcome& outcome) const;

 private:
  // True when the request counts (it was not cancelled by an abort of the run).
  // `arrival`: the request starts its slot (false for a session's later turns, which the
  // delivered rate of slots does not count).
  bool account(const Slot& slot, harness::RequestRecord& record, Schedule& schedule, LiveProgress* progress,
               bool arrival = true);

  metrics::MetricsRecorder recorder_;
  metrics::SessionMetrics sessions_;
  bool any_session_ = false;
  metrics::LatencyHistogram lag_;
  metrics::LatencyHistogram cap_wait_;
  std::int64_t window_start_ns_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t window_end_ns_ = 0;
  std::int64_t first_send_ns_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t last_send_ns_ = 0;
  std::uint64_t sends_ = 0;
  RequestExport* export_ = nullptr;
  const ExportStep* export_step_ = nullptr;
};

}  // namespace llmbench::load
