#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "harness/client/batch_options.h"
#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"
#include "harness/client/execution_model.h"
#include "harness/client/executor.h"
#include "harness/client/invoke_result.h"
#include "harness/client/stream_observer.h"

namespace llmbench::harness {

// One execution model as event loops, each an io_context with its own Executor, run on a
// thread of its own: sync is one loop with a blocking SyncClient; threaded is N loops with one
// SyncClient each (N worker threads); coroutine is N loops with one CoroutineClient each
// (one loop saturates a core near 90,000 SSE events per second). Loops keep their executors
// (and connections) for the life of the Client. The load drivers and the conformance suite
// run coroutines on the loops and call Executor::send; invoke / batch / stream are
// LangChain's Runnable, thin blocking facades over the same.
//
// Thread-safety: one caller at a time, except cancel(), which any thread may call.
class Client {
 public:
  // threads: threaded: worker threads (at least 1); coroutine: loop threads (0 = hardware
  // cores); sync: ignored. Throws InputError for a missing API key variable.
  Client(ExecutionModel model, const Endpoint& endpoint, std::size_t threads);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  using LoopFunction = std::function<boost::asio::awaitable<void>(std::size_t loop_index, Executor&)>;
  // co_spawns fn on every loop, runs every loop on its own thread (loop 0 on the caller's)
  // until fn's coroutine there is done, and returns when all are; rethrows the first exception.
  void run_on_loops(const LoopFunction& fn);
  // The same on one loop only, on the caller's thread.
  void run_on_loop(std::size_t loop_index, const LoopFunction& fn);

  // On loop 0; the observer is called on the caller's thread.
  InvokeResult invoke(const ChatRequest& request);
  InvokeResult stream(const ChatRequest& request, StreamObserver& observer);
  // A sliding window of options.max_concurrency requests (0: all) spread over the loops
  // (a blocking loop runs its share one after another); results in input order.
  std::vector<InvokeResult> batch(std::span<const ChatRequest> requests, const BatchOptions& options);

  // Executor::cancel_all on every loop (sticky); any thread.
  void cancel() noexcept;
  void reset_cancel() noexcept;

  ExecutionModel model() const noexcept { return model_; }
  std::size_t size() const noexcept { return loops_.size(); }
  Executor& executor(std::size_t loop_index);

 private:
  struct Loop;
  ExecutionModel model_;
  std::vector<std::unique_ptr<Loop>> loops_;
};

// make_unique<Client>, for callers that hold clients by pointer.
std::unique_ptr<Client> make_client(ExecutionModel model, const Endpoint& endpoint, std::size_t threads);

}  // namespace llmbench::harness
