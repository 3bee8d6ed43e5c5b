#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "harness/client/batch_options.h"
#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"
#include "harness/client/invoke_result.h"
#include "harness/client/stream_observer.h"
#include "harness/client/sync_client.h"

namespace llmbench::harness {

// The threaded execution model: a pool of N worker threads, each owning its own SyncClient
// (its own easy handle and connection), as LangChain's batch runs invoke on a thread pool.
//
// Thread-safety: every member function may be called from any thread, concurrently. A
// StreamObserver passed to stream() is called on the worker thread that runs the request.
class ThreadedClient {
 public:
  // Starts `workers` threads (at least 1). Throws InputError like SyncClient.
  ThreadedClient(const Endpoint& endpoint, std::size_t workers);
  // Joins the workers after they finish the work already handed to them.
  ~ThreadedClient();
  ThreadedClient(const ThreadedClient&) = delete;
  ThreadedClient& operator=(const ThreadedClient&) = delete;

  // Runs on a free worker; the caller blocks until it is done.
  InvokeResult invoke(const ChatRequest& request, std::int64_t intended_start_ns = 0);
  InvokeResult stream(const ChatRequest& request, StreamObserver* observer,
                      std::int64_t intended_start_ns = 0);

  // A sliding window of min(max_concurrency, workers) requests in flight: each worker takes
  // the next request as soon as it finishes one (never waves). Results in input order.
  std::vector<InvokeResult> batch(std::span<const ChatRequest> requests, const BatchOptions& options);

  // Runs fn once on every worker concurrently (worker_index in [0, size())) and returns when
  // all have returned; rethrows the first exception. The load generator's closed-loop virtual
  // users are built on this.
  void run_on_workers(const std::function<void(std::size_t worker_index, SyncClient& client)>& fn);

  // cancel() / reset_cancel() on every worker's SyncClient.
  void cancel_all() noexcept;
  void reset_cancel() noexcept;

  std::size_t size() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmbench::harness
