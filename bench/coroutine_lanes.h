#pragma once

// Closed-loop lanes over every loop of a harness::Client, shared by the benchmark programs:
// `concurrency` lanes (split over the loops) each take the next request number until
// `requests` are handed out; returns when every lane has finished. Any execution model.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstddef>

#include "harness/client/chat_request.h"
#include "harness/client/client.h"
#include "harness/client/invoke_result.h"
#include "harness/client/wait_group.h"

namespace llmbench::bench {

// on_result is called on the loops' threads, concurrently.
template <typename OnResult>
void run_closed_loop(harness::Client& client, std::size_t concurrency, std::size_t requests,
                     const harness::ChatRequest& request, bool stream, OnResult& on_result) {
  std::atomic<std::size_t> next{0};
  client.run_on_loops([&](std::size_t loop, harness::Executor& executor) -> boost::asio::awaitable<void> {
    auto body = [&](std::size_t) -> boost::asio::awaitable<void> {
      on_result(co_await executor.send(request, harness::SendSpec{.stream = stream}));
    };
    const std::size_t loops = client.size();
    co_await harness::sliding_window(concurrency / loops + (loop < concurrency % loops ? 1 : 0), next, requests, body);
  });
}

}  // namespace llmbench::bench
