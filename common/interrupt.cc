#include "common/interrupt.h"

#include <atomic>
#include <csignal>

namespace llmbench {

namespace {
std::atomic<int> g_signal{0};
std::atomic<bool> g_requested{false};

extern "C" void on_interrupt_signal(int sig) {
  if (g_requested.exchange(true)) {
    // Second signal: the graceful stop is taking too long; let the default action kill us.
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_signal.store(sig);
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() noexcept { return g_requested.load(std::memory_order_relaxed); }

int interrupt_signal() noexcept { return g_signal.load(); }

void request_interrupt() noexcept { g_requested.store(true); }

void reset_interrupt_for_testing() noexcept {
  g_requested.store(false);
  g_signal.store(0);
}

}  // namespace llmbench
