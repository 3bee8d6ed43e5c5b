#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "harness/load/live_progress.h"
#include "harness/load/schedule.h"

namespace llmbench::load {

// Watches a running step from its own thread: when the schedule aborts (Ctrl-C, max
// errors) it cancels the requests in flight once, and it redraws the progress line.
// Internal to the drivers. Stops and joins on destruction.
class StepMonitor {
 public:
  StepMonitor(Schedule& schedule, LiveProgress* progress, std::function<void()> cancel_in_flight);
  ~StepMonitor();
  StepMonitor(const StepMonitor&) = delete;
  StepMonitor& operator=(const StepMonitor&) = delete;

 private:
  void run();

  Schedule& schedule_;
  LiveProgress* progress_;
  std::function<void()> cancel_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace llmbench::load
