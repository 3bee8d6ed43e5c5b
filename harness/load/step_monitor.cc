#include "harness/load/step_monitor.h"

#include <chrono>

namespace llmbench::load {

namespace {
// How quickly Ctrl-C reaches requests in flight, and how often the progress line redraws.
constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr int kPollsPerRender = 10;
}  // namespace

StepMonitor::StepMonitor(Schedule& schedule, LiveProgress* progress, std::function<void()> cancel_in_flight)
    : schedule_(schedule), progress_(progress), cancel_(std::move(cancel_in_flight)) {
  thread_ = std::thread([this] { run(); });
}

StepMonitor::~StepMonitor() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void StepMonitor::run() {
  bool cancelled = false;
  int polls = 0;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kPollInterval, [this] { return done_; })) {
    if (!cancelled && schedule_.stopping()) {
      cancelled = true;
      if (cancel_) cancel_();
    }
    if (progress_ != nullptr && progress_->enabled() && ++polls % kPollsPerRender == 0) {
      progress_->render(schedule_);
    }
  }
}

}  // namespace llmbench::load
