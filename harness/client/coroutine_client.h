#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>

#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"
#include "harness/client/executor.h"
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
// of concurrent requests; Client runs one per core.
//
// Thread-safety: everything except cancel_all()/reset_cancel() must be called on the
// io_context's thread (the coroutines it runs); those two may be called from any thread. StreamObservers are
// called on the io_context thread. The io_context must outlive the client, and the client
// must outlive every coroutine started with it.
class CoroutineClient final : public Executor {
 public:
  // Throws InputError like SyncClient.
  CoroutineClient(boost::asio::io_context& io, const Endpoint& endpoint);
  ~CoroutineClient() override;
  CoroutineClient(const CoroutineClient&) = delete;
  CoroutineClient& operator=(const CoroutineClient&) = delete;

  boost::asio::awaitable<InvokeResult> send(const ChatRequest& request, SendSpec spec) override;
  // Token-by-token: the request is copied into the stream.
  TokenStream astream_tokens(ChatRequest request);

  void cancel_all() noexcept override;
  void reset_cancel() noexcept override;

  // Requests currently in flight (or waiting for their intended start) on this client.
  std::size_t in_flight() const noexcept;
  boost::asio::io_context& context() noexcept;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmbench::harness
