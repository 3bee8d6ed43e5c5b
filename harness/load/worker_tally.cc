#include "harness/load/worker_tally.h"

#include <algorithm>

namespace llmbench::load {

void WorkerTally::on_send(const Slot& slot, std::int64_t now_ns, bool open_loop, bool capped) {
  if (slot.warmup || !open_loop) return;
  // A capped user claims its next slot as soon as it is free: a claim after the intended start
  // means the slot waited for the cap. An uncapped dispatcher claims ahead, so any lateness
  // there is the harness's.
  std::int64_t ready = slot.intended_start_ns;
  if (capped && slot.claimed_ns > slot.intended_start_ns) {
    cap_wait_.record(slot.claimed_ns - slot.intended_start_ns);
    ready = slot.claimed_ns;
  } else {
    cap_wait_.record(0);
  }
  lag_.record(std::max<std::int64_t>(0, now_ns - ready));
}

bool WorkerTally::account(const Slot& slot, harness::RequestRecord& record, Schedule& schedule,
                          LiveProgress* progress, bool arrival) {
  // Requests the runner itself cancelled on Ctrl-C or max errors measure nothing about the
  // target; counting them as failures would blame the server for our stop.
  if (record.error == harness::ErrorKind::cancelled && schedule.stopping()) return false;
  if (progress != nullptr) progress->record(record.end_ns - record.start_ns, record.ok(), slot.warmup);
  if (export_ != nullptr) export_->add(*export_step_, slot.warmup, record);
  // Warm-up requests too: those still in flight when the window opens did work inside it.
  if (const std::int64_t start = schedule.measure_start_ns(); start != Schedule::kUnknownNs) {
    recorder_.record_window(record, start, schedule.measure_end_ns());
  }
  if (slot.warmup) return true;
  recorder_.record(record);
  window_start_ns_ = std::min(window_start_ns_, record.intended_start_ns);
  window_end_ns_ = std::max(window_end_ns_, record.end_ns);
  if (arrival && record.start_ns > 0) {
    first_send_ns_ = std::min(first_send_ns_, record.start_ns);
    last_send_ns_ = std::max(last_send_ns_, record.start_ns);
    ++sends_;
  }
  return true;
}

void WorkerTally::on_result(const Slot& slot, harness::InvokeResult& result, Schedule& schedule,
                            LiveProgress* progress) {
  result.record.index = slot.index;
  const bool counted = account(slot, result.record, schedule, progress);
  schedule.complete(slot, counted && !result.ok() ? 1 : 0);
}

void WorkerTally::on_results(const Slot& slot, std::uint64_t first_index,
                             std::vector<harness::InvokeResult>& results, Schedule& schedule,
                             LiveProgress* progress) {
  std::uint64_t errors = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& record = results[i].record;
    record.index = first_index + i;
    // A batch's requests are all intended to start with the batch: the time one spends
    // waiting for a window slot is client-side queue wait.
    record.intended_start_ns = slot.intended_start_ns;
    if (account(slot, record, schedule, progress) && !record.ok()) ++errors;
  }
  schedule.complete(slot, errors);
}

bool WorkerTally::on_turn(const Slot& slot, std::uint32_t turn, harness::InvokeResult& result, bool stream,
                          Schedule& schedule, LiveProgress* progress) {
  result.record.index = slot.index;
  if (!account(slot, result.record, schedule, progress, turn == 0)) return false;
  if (!slot.warmup) sessions_.record_turn(turn, result.record, stream);
  return true;
}

void WorkerTally::on_session_end(const Slot& slot, metrics::SessionEnd end, std::uint32_t turns,
                                 std::int64_t start_ns, std::int64_t end_ns, Schedule& schedule) {
  any_session_ = true;
  if (!slot.warmup) sessions_.record_session(end, turns, start_ns, end_ns);
  schedule.complete(slot, end == metrics::SessionEnd::failed ? 1 : 0);
}

void WorkerTally::merge_into(StepOutcome& outcome) const {
  outcome.recorder.merge(recorder_);
  if (any_session_) {
    if (!outcome.sessions) outcome.sessions.emplace();
    outcome.sessions->merge(sessions_);
  }
  outcome.schedule_lag.merge(lag_);
  outcome.cap_wait.merge(cap_wait_);
  if (sends_ == 0 && window_end_ns_ == 0) return;
  if (outcome.window_end_ns == 0) {
    outcome.window_start_ns = window_start_ns_;
    outcome.first_send_ns = first_send_ns_;
  } else {
    outcome.window_start_ns = std::min(outcome.window_start_ns, window_start_ns_);
    outcome.first_send_ns = std::min(outcome.first_send_ns, first_send_ns_);
  }
  outcome.window_end_ns = std::max(outcome.window_end_ns, window_end_ns_);
  outcome.last_send_ns = std::max(outcome.last_send_ns, last_send_ns_);
  outcome.sends += sends_;
}

}  // namespace llmbench::load
