#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <memory>

#include "harness/client/coroutine_client.h"
#include "harness/client/endpoint.h"

namespace llmbench::harness {

// One io_context + CoroutineClient per thread, because one loop saturates a core near
// 90,000 SSE events per second. Each loop keeps its own curl multi handle (and so its own
// connections) for the life of the pool; results are merged by the caller.
//
// Thread-safety: run_on_loops/run_on_loop are called by one thread at a time; cancel_all()
// from any thread.
class EventLoopPool {
 public:
  // threads == 0: std::thread::hardware_concurrency(). Throws InputError like SyncClient.
  EventLoopPool(const Endpoint& endpoint, std::size_t threads);
  ~EventLoopPool();
  EventLoopPool(const EventLoopPool&) = delete;
  EventLoopPool& operator=(const EventLoopPool&) = delete;

  using LoopFunction = std::function<boost::asio::awaitable<void>(std::size_t loop_index, CoroutineClient&)>;

  // co_spawns fn on every loop, runs every loop on its own thread until fn's coroutine there
  // is done, and returns when all are; rethrows the first exception.
  void run_on_loops(const LoopFunction& fn);
  // The same on one loop only (the caller's thread runs it).
  void run_on_loop(std::size_t loop_index, const LoopFunction& fn);

  void cancel_all() noexcept;
  void reset_cancel() noexcept;
  std::size_t size() const noexcept;
  CoroutineClient& client(std::size_t loop_index);

 private:
  struct Loop;
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace llmbench::harness
