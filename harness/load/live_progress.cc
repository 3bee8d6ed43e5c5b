#include "harness/load/live_progress.h"

#include <cmath>

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "harness/load/schedule.h"

namespace llmbench::load {

LiveProgress LiveProgress::for_terminal(std::FILE* out) {
  return LiveProgress(out, ::isatty(::fileno(out)) == 1);
}

void LiveProgress::begin_step(std::string label, double requests_per_slot) {
  if (!enabled_) return;
  label_ = std::move(label);
  requests_per_slot_ = requests_per_slot;
  measured_.store(0, std::memory_order_relaxed);
  warmup_.store(0, std::memory_order_relaxed);
  errors_.store(0, std::memory_order_relaxed);
  e2e_.reset();
  step_start_ns_ = time_.now_ns();
  warmup_end_ns_ = 0;
  rate_.reset(step_start_ns_, 0);
}

void LiveProgress::record(std::int64_t e2e_ns, bool ok, bool warmup) {
  if (!enabled_) return;
  if (warmup) {
    warmup_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (ok) {
    e2e_.record(e2e_ns);
  } else {
    errors_.fetch_add(1, std::memory_order_relaxed);
  }
  measured_.fetch_add(1, std::memory_order_relaxed);
}

ProgressSnapshot LiveProgress::snapshot(const Schedule& schedule) {
  const LoadPlan& plan = schedule.plan();
  const std::int64_t now = time_.now_ns();
  ProgressSnapshot s;
  s.label = label_;
  s.errors = errors_.load(std::memory_order_relaxed);
  s.done = measured_.load(std::memory_order_relaxed);
  s.warmup_done = warmup_.load(std::memory_order_relaxed);
  const auto in_requests = [this](std::uint64_t slots) {
    return static_cast<std::uint64_t>(std::llround(static_cast<double>(slots) * requests_per_slot_));
  };
  s.planned = in_requests(schedule.planned_measured_slots());
  s.warmup_planned = in_requests(plan.warmup_requests);
  const bool counted_warmup_running =
      plan.warmup_requests > 0 && s.warmup_done < s.warmup_planned && s.done == 0;
  const bool timed_warmup_running = plan.warmup_duration.count() > 0 && now < schedule.measure_start_ns();
  s.in_warmup = counted_warmup_running || timed_warmup_running;
  if (plan.warmup_requests > 0 && !counted_warmup_running && warmup_end_ns_ == 0) warmup_end_ns_ = now;
  // Warm-up and measured completions alike: the rate the target is answering at right now.
  s.rate = rate_.update(now, s.done + s.warmup_done);
  if (const std::uint64_t ok = e2e_.count(); ok > 0) s.e2e_p99_ms = e2e_.percentile(99) / 1e6;
  s.elapsed_s = static_cast<double>(now - step_start_ns_) / 1e9;

  std::optional<double> remaining;
  if (plan.duration.count() > 0) {
    if (s.in_warmup) {
      remaining = static_cast<double>(plan.duration.count()) / 1e9;
      if (timed_warmup_running) {
        remaining = *remaining + static_cast<double>(schedule.measure_start_ns() - now) / 1e9;
      }
    } else {
      const std::int64_t measure_start = std::max(schedule.measure_start_ns(), warmup_end_ns_);
      remaining = std::max(0.0, static_cast<double>(measure_start + plan.duration.count() - now) / 1e9);
    }
  }
  if (plan.requests > 0 && s.rate > 0) {
    const double left = static_cast<double>(plan.requests - std::min(plan.requests, s.done)) / s.rate;
    remaining = remaining ? std::min(*remaining, left) : left;
  }
  s.remaining_s = remaining;
  return s;
}

void LiveProgress::render(const Schedule& schedule) {
  if (!enabled_) return;
  const ProgressSnapshot s = snapshot(schedule);
  const std::size_t width = width_ != 0 ? width_ : terminal_width(out_);
  // \r + erase-line: the new line replaces the old one in place, whatever their lengths.
  fmt::print(out_, "\r\033[K{}", format_progress_line(s, width));
  std::fflush(out_);
}

void LiveProgress::end_step() {
  if (!enabled_) return;
  fmt::print(out_, "\r\033[K");
  std::fflush(out_);
}

}  // namespace llmbench::load
