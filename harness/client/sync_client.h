#pragma once

#include <memory>

#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"
#include "harness/client/executor.h"
#include "harness/client/invoke_result.h"
#include "harness/client/stream_observer.h"

namespace llmbench::harness {

// The blocking executor (sync and threaded models): one libcurl easy handle driven to
// completion on the calling thread, requests one after another, the connection kept alive
// between them. send() completes before it returns; the threaded model runs one per thread.
//
// The handle runs inside a private one-handle multi with curl_multi_poll, which is what
// curl_easy_perform does internally; owning that loop lets cancel_all() wake it at once
// (curl_multi_wakeup) and makes the first-token deadline exact rather than once-per-second.
//
// Thread-safety: one thread at a time sends; cancel_all() and reset_cancel() may be called
// from any thread at any time.
class SyncClient final : public Executor {
 public:
  // Reads the API key from Endpoint::api_key_env now; throws llmbench::InputError when that
  // variable is named but not set. The key is never stored in a record or message.
  explicit SyncClient(const Endpoint& endpoint);
  ~SyncClient() override;
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  boost::asio::awaitable<InvokeResult> send(const ChatRequest& request, SendSpec spec) override;
  // send() without a loop: returns when the request (and its retries) ended.
  InvokeResult run(const ChatRequest& request, const SendSpec& spec);
  InvokeResult invoke(const ChatRequest& request) { return run(request, {}); }
  InvokeResult stream(const ChatRequest& request, StreamObserver* observer) {
    return run(request, SendSpec{.stream = true, .observer = observer});
  }

  void cancel_all() noexcept override;
  void reset_cancel() noexcept override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmbench::harness
