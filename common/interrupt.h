#pragma once

namespace llmbench {

// Ctrl-C and SIGTERM become a flag that long-running work polls (the run's termination
// predicate, the mock's serve loop), as Nighthawk turns cancellation into a counter:
// there is no separate shutdown path. A second signal restores the default action, so
// a stuck process can still be killed with another Ctrl-C.
void install_interrupt_handlers();

// True once SIGINT or SIGTERM arrived (or request_interrupt() was called).
bool interrupt_requested() noexcept;

// The signal that interrupted us (SIGINT/SIGTERM), 0 if none or if set programmatically.
int interrupt_signal() noexcept;

// Sets the flag from code (tests, a max-error stop that wants the same graceful path).
void request_interrupt() noexcept;

// Clears the flag; for tests only.
void reset_interrupt_for_testing() noexcept;

}  // namespace llmbench
