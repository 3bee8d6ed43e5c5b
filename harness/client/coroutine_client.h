#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/client/batch_options.h"
#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"
#include "harness/client/invoke_result.h"
#include "harness/client/stream_observer.h"

namespace llmbench::harness {

class CoroutineClient;

// An async sequence of content tokens (LangChain's astream): `while (auto t = co_await
// s.next()) ...`. The request starts with the first next(). Destroying the stream before the
// end cancels its request. Use it on its client's io_context thread only.
class TokenStream {
 public:
  TokenStream(TokenStream&&) noexcept;
  TokenStream& operator=(TokenStream&&) noexcept;
  ~TokenStream();

  // The next content delta, or nullopt once the request ended (successfully or not).
  boost::asio::awaitable<std::optional<std::string>> next();
  // Valid after next() returned nullopt: the measurements and the error kind.
  const RequestRecord& record() const;

  struct State;

 private:
  friend class CoroutineClient;
  explicit TokenStream(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

// The coroutine execution model: C++20 coroutines on one boost::asio::io_context over
// libcurl's multi socket interface (curl_multi_socket_action), following curl's
// docs/examples/multi-uv.c: curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION)
// and when to time out (CURLMOPT_TIMERFUNCTION); Asio waits on those sockets
// (posix::stream_descriptor::async_wait) and calls back into curl. One loop drives thousands
// of concurrent requests; run one per core with EventLoopPool.
//
// Thread-safety: everything except cancel_all() must be called on the io_context's thread
// (the coroutines it runs). cancel_all() may be called from any thread. StreamObservers are
// called on the io_context thread. The io_context must outlive the client, and the client
// must outlive every coroutine started with it.
class CoroutineClient {
 public:
  // Throws InputError like SyncClient.
  CoroutineClient(boost::asio::io_context& io, const Endpoint& endpoint);
  ~CoroutineClient();
  CoroutineClient(const CoroutineClient&) = delete;
  CoroutineClient& operator=(const CoroutineClient&) = delete;

  boost::asio::awaitable<InvokeResult> ainvoke(const ChatRequest& request,
                                               std::int64_t intended_start_ns = 0);
  boost::asio::awaitable<InvokeResult> astream(const ChatRequest& request, StreamObserver* observer,
                                               std::int64_t intended_start_ns = 0);
  // Token-by-token: the request is copied into the stream.
  TokenStream astream_tokens(ChatRequest request);

  // All requests concurrently on this loop, at most options.max_concurrency in flight
  // (0: all), semaphore-style; results in input order.
  boost::asio::awaitable<std::vector<InvokeResult>> abatch(std::span<const ChatRequest> requests,
                                                           const BatchOptions& options);

  // Aborts every in-flight request (ErrorKind::cancelled) and makes later ones end as
  // cancelled until reset_cancel(). Any thread.
  void cancel_all() noexcept;
  void reset_cancel() noexcept;
  bool cancelled() const noexcept;

  // Requests currently in flight on this client.
  std::size_t in_flight() const noexcept;

  boost::asio::io_context& context() noexcept;
  const Endpoint& endpoint() const noexcept;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmbench::harness
