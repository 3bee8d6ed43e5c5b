#include "harness/load/live_progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/load/schedule.h"

namespace llmbench::load {

LiveProgress LiveProgress::for_terminal(std::FILE* out) {
  return LiveProgress(out, ::isatty(::fileno(out)) == 1);
}

void LiveProgress::begin_step(std::string label) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  label_ = std::move(label);
  e2e_ = metrics::LatencyHistogram();
  last_completed_ = 0;
  last_render_ns_ = steady_now_ns();
}

void LiveProgress::record(std::int64_t e2e_ns, bool ok) {
  if (!enabled_ || !ok) return;
  std::lock_guard lock(mutex_);
  e2e_.record(e2e_ns);
}

void LiveProgress::render(const Schedule& schedule) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const std::int64_t now = steady_now_ns();
  const std::uint64_t completed = schedule.completed();
  const double elapsed_s = static_cast<double>(now - last_render_ns_) / 1e9;
  const double rate = elapsed_s > 0 ? static_cast<double>(completed - last_completed_) / elapsed_s : 0.0;
  last_completed_ = completed;
  last_render_ns_ = now;
  const std::uint64_t planned = schedule.plan().requests + schedule.plan().warmup_requests;
  const std::string total = planned > 0 ? fmt::format("/{}", planned) : std::string();
  fmt::print(out_, "\r\033[K{}  {}{} done  {:.1f} req/s  {} errors  p99 {:.1f} ms", label_, completed, total,
             rate, schedule.errors(), e2e_.percentile(99) / 1e6);
  std::fflush(out_);
}

void LiveProgress::end_step() {
  if (!enabled_) return;
  fmt::print(out_, "\r\033[K");
  std::fflush(out_);
}

}  // namespace llmbench::load
