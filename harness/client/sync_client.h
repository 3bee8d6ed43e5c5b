#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "harness/client/batch_options.h"
#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"
#include "harness/client/invoke_result.h"
#include "harness/client/stream_observer.h"

namespace llmbench::harness {

// The sync execution model: one libcurl easy handle driven to completion on the calling
// thread, requests one after another, the connection kept alive between them.
//
// The handle runs inside a private one-handle multi with curl_multi_poll, which is what
// curl_easy_perform does internally; owning that loop lets cancel() wake it at once
// (curl_multi_wakeup) and makes the first-token deadline exact rather than once-per-second.
//
// Thread-safety: one thread at a time calls invoke/stream/batch; cancel() and
// reset_cancel() may be called from any thread at any time.
class SyncClient {
 public:
  // Reads the API key from Endpoint::api_key_env now; throws llmbench::InputError when that
  // variable is named but not set. The key is never stored in a record or message.
  explicit SyncClient(const Endpoint& endpoint);
  ~SyncClient();
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  // One non-streaming request; returns when the whole response arrived or the request failed.
  // intended_start_ns: when the load model wanted it sent (0: now), for coordinated-omission
  // correction. Retries (Endpoint::retry) happen inside and are counted in record.retries.
  InvokeResult invoke(const ChatRequest& request, std::int64_t intended_start_ns = 0);

  // One streaming request; `observer` (may be null) sees every event as it arrives.
  InvokeResult stream(const ChatRequest& request, StreamObserver* observer,
                      std::int64_t intended_start_ns = 0);

  // Every request one after another, in order (the sync model has no concurrency, so
  // options.max_concurrency is ignored). record.index is the position in `requests`.
  std::vector<InvokeResult> batch(std::span<const ChatRequest> requests, const BatchOptions& options);

  // Aborts the in-flight request (it ends as ErrorKind::cancelled) and makes every later
  // request end as cancelled at once, until reset_cancel(). Sticky so a cancel that races
  // with the start of the next request is never lost.
  void cancel() noexcept;
  void reset_cancel() noexcept;
  bool cancelled() const noexcept;

  const Endpoint& endpoint() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmbench::harness
