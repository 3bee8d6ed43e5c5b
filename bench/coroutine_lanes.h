#pragma once

// Closed-loop lanes on one event loop, shared by the benchmark programs: `lanes` coroutines each
// take the next request number from `next` until `requests` are handed out, and the caller's
// coroutine returns when every lane has finished.
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <exception>

#include "harness/client/chat_request.h"
#include "harness/client/coroutine_client.h"
#include "harness/client/invoke_result.h"

namespace llmbench::bench {

template <typename OnResult>
boost::asio::awaitable<void> run_coroutine_lanes(harness::CoroutineClient& client, std::size_t lanes,
                                                 std::atomic<std::size_t>& next, std::size_t requests,
                                                 const harness::ChatRequest& request, bool stream,
                                                 OnResult& on_result) {
  boost::asio::steady_timer done(client.context(), boost::asio::steady_timer::time_point::max());
  std::size_t running = lanes;
  for (std::size_t l = 0; l < lanes; ++l) {
    boost::asio::co_spawn(
        client.context(),
        [&]() -> boost::asio::awaitable<void> {
          while (next.fetch_add(1) < requests) {
            // Not `c ? co_await a : co_await b`: GCC 12 destroys that temporary twice.
            harness::InvokeResult result;
            if (stream) {
              result = co_await client.astream(request, nullptr);
            } else {
              result = co_await client.ainvoke(request);
            }
            on_result(result);
          }
        },
        [&](std::exception_ptr) {
          if (--running == 0) done.cancel();
        });
  }
  while (running > 0) co_await done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace llmbench::bench
