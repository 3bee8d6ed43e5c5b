#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/client/batch_options.h"
#include "harness/client/chat_request.h"
#include "harness/client/execution_model.h"
#include "harness/client/invoke_result.h"
#include "harness/client/stream_observer.h"

namespace llmbench::harness {

// How one request is sent, besides its content.
struct SendSpec {
  std::uint64_t index = 0;             // RequestRecord::index (position in the batch or schedule)
  std::int64_t intended_start_ns = 0;  // not sent before it; 0: now (steady clock, common/clock.h)
  bool stream = false;
  StreamObserver* observer = nullptr;  // may be null; called on the executor's loop thread
  bool keep_text = true;  // false: InvokeResult::text stays empty (the load path never reads it)
};

// The one request-start interface: every execution model implements send(), and batch,
// retries, the closed-loop user and the open-loop sender are written once on top of it
// (docs/architecture.md, "Clients"). An awaitable, because the coroutine model suspends;
// the blocking models (SyncClient, one per loop thread) complete it before returning, which
// is their blocking adapter. Each Executor belongs to one loop of a Client (client.h).
//
// Thread-safety: send() on the executor's loop thread; cancel_all()/reset_cancel() anywhere.
class Executor {
 public:
  virtual ~Executor() = default;

  // Waits until spec.intended_start_ns (cancel_all() cuts the wait short: the request ends
  // cancelled, unsent), then runs the request and its retries (Endpoint::retry). Request
  // failures are in the record, never thrown; `request` must outlive the call.
  virtual boost::asio::awaitable<InvokeResult> send(const ChatRequest& request, SendSpec spec) = 0;

  // Aborts every request in flight or waiting (ErrorKind::cancelled) and makes later ones end
  // as cancelled at once, unsent, until reset_cancel(). Sticky, so a cancel racing with the
  // start of the next request is never lost.
  virtual void cancel_all() noexcept = 0;
  virtual void reset_cancel() noexcept = 0;

  // LangChain's ainvoke / astream / abatch, thin facades over send().
  boost::asio::awaitable<InvokeResult> ainvoke(const ChatRequest& request) { return send(request, {}); }
  boost::asio::awaitable<InvokeResult> astream(const ChatRequest& request, StreamObserver* observer) {
    return send(request, SendSpec{.stream = true, .observer = observer});
  }
  // At most options.max_concurrency in flight on this executor (0: all), a sliding window;
  // results in input order (record.index = position).
  boost::asio::awaitable<std::vector<InvokeResult>> abatch(std::span<const ChatRequest> requests,
                                                           const BatchOptions& options);
};

}  // namespace llmbench::harness
