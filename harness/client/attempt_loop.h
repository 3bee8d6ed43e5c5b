#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>

#include "common/clock.h"
#include "harness/client/invoke_result.h"
#include "harness/client/transfer.h"

namespace llmbench::harness {

// The life of one request, the same in every execution model: not before its intended start;
// then an attempt, and while it failed retryably and retries remain (Transfer decides), a
// backoff and another attempt. A cancel ends it as cancelled wherever it is.
//
// `Model` (one per request, moved into the coroutine frame) says how to wait:
//   Transfer& transfer();  bool cancelled() const;  double jitter();  // in [0, 1)
//   awaitable<bool> wait_until(std::int64_t deadline_ns);             // false: cut short
//   awaitable<void> attempt();  // prepare, run to completion or abort, finish_attempt
template <typename Model>
boost::asio::awaitable<InvokeResult> run_attempts(Model model, std::int64_t intended_start_ns) {
  Transfer& transfer = model.transfer();
  bool go = !model.cancelled();
  if (go && intended_start_ns > steady_now_ns()) go = co_await model.wait_until(intended_start_ns);
  transfer.begin(steady_now_ns());
  for (;;) {
    if (!go || model.cancelled()) {
      transfer.fail(ErrorKind::cancelled, "cancelled before the request was sent");
      break;
    }
    co_await model.attempt();
    transfer.rethrow_callback_exception();
    const auto delay = transfer.next_retry_delay(model.jitter());
    if (!delay) break;
    if (model.cancelled() || !co_await model.wait_until(steady_now_ns() + delay->count())) {
      transfer.fail(ErrorKind::cancelled, "cancelled while waiting to retry");
      break;
    }
    transfer.note_retry(steady_now_ns());
  }
  co_return transfer.complete(steady_now_ns());
}

}  // namespace llmbench::harness
