#include "harness/client/executor.h"

#include <algorithm>

#include "harness/client/wait_group.h"

namespace llmbench::harness {

boost::asio::awaitable<std::vector<InvokeResult>> Executor::abatch(std::span<const ChatRequest> requests,
                                                                   const BatchOptions& options) {
  std::vector<InvokeResult> results(requests.size());
  std::atomic<std::size_t> next{0};
  auto body = [&](std::size_t i) -> boost::asio::awaitable<void> {
    results[i] = co_await send(requests[i], SendSpec{.index = i, .stream = options.stream, .keep_text = options.keep_text});
  };
  const std::size_t window = options.max_concurrency == 0 ? requests.size() : options.max_concurrency;
  co_await sliding_window(std::min(window, requests.size()), next, requests.size(), body);
  throw_if_batch_failed(results, options);
  co_return results;
}

}  // namespace llmbench::harness
