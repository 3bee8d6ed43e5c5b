#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "harness/client/batch_options.h"
#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"
#include "harness/client/execution_model.h"
#include "harness/client/invoke_result.h"
#include "harness/client/stream_observer.h"

namespace llmbench::harness {

// The execution-model-neutral facade (LangChain's Runnable: invoke, batch, stream) that the
// conformance suite and simple callers use; each model keeps its own richer API
// (SyncClient, ThreadedClient, CoroutineClient/EventLoopPool) for the load generator.
// Calls block the calling thread. Thread-safety: one caller at a time, except cancel().
class Client {
 public:
  virtual ~Client() = default;
  virtual InvokeResult invoke(const ChatRequest& request) = 0;
  virtual std::vector<InvokeResult> batch(std::span<const ChatRequest> requests,
                                          const BatchOptions& options) = 0;
  // The observer is called on whichever thread runs the request.
  virtual InvokeResult stream(const ChatRequest& request, StreamObserver& observer) = 0;
  virtual ExecutionModel model() const = 0;
  // Aborts in-flight requests and makes later ones end as cancelled (sticky); any thread.
  virtual void cancel() noexcept = 0;
};

// sync: concurrency_or_threads is ignored; threaded: worker threads; coroutine: event-loop
// threads (0 = hardware cores). Throws InputError for a missing API key variable.
std::unique_ptr<Client> make_client(ExecutionModel model, const Endpoint& endpoint,
                                    std::size_t concurrency_or_threads);

}  // namespace llmbench::harness
