// client_memory: harness memory per in-flight coroutine stream. One CoroutineClient on one loop
// opens C concurrent streaming requests against the mock in a forked child (so the mock's memory
// is not ours), samples this process's RSS while every stream is between its first and last
// token, and prints (peak RSS in flight - RSS idle) / C. Two rounds: the first opens the
// connections, the second reuses them (the steady state of a closed loop). Not a test.
//
//   client_memory CONCURRENCY [ROUNDS]      e.g. client_memory 1000
// Mock: TTFT 200 ms, ITL 100 ms, 32 tokens (3.3 s per stream), 127.0.0.1 only; CLIENT_BENCH_URL=URL
// uses an already running mock with that profile instead.
#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "bench/forked_mock.h"
#include "harness/client/coroutine_client.h"

using namespace llmbench;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// Resident set size in KiB, from /proc/self/status.
long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// Counts streams between their first token and their end.
struct Counting : harness::StreamObserver {
  std::size_t* streaming;
  explicit Counting(std::size_t* counter) : streaming(counter) {}
  void on_first_token(std::int64_t) override { ++*streaming; }
  void on_end(const harness::RequestRecord& record) override {
    if (record.first_token_ns != 0) --*streaming;
  }
  void on_error(const harness::RequestRecord& record) override {
    if (record.first_token_ns != 0) --*streaming;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t concurrency = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 0;
  const std::size_t rounds = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2;
  if (concurrency == 0 || concurrency > 5000 || rounds == 0 || rounds > 5) {
    std::fprintf(stderr, "usage: %s CONCURRENCY(1..5000) [ROUNDS(1..5)]\n", argv[0]);
    return 2;
  }
  mock::raise_open_file_limit();
  auto config = mock::MockConfig::fixed_latency(200ms, 100ms, 32);
  config.max_waiting = 100000;
  // CLIENT_BENCH_URL: an already running mock with that profile instead (e.g. under heaptrack).
  const char* external_url = std::getenv("CLIENT_BENCH_URL");
  std::optional<bench::ForkedMock> mock;
  if (external_url == nullptr) mock.emplace(config);

  harness::Endpoint endpoint;
  endpoint.base_url = external_url != nullptr ? std::string(external_url) : mock->base_url();
  endpoint.timeouts.total = 60s;
  harness::ChatRequest request;
  request.messages = {{"user", "benchmark"}};

  asio::io_context io(1);
  harness::CoroutineClient client(io, endpoint);
  const long idle = rss_kib();
  std::size_t streaming = 0;
  std::size_t failed = 0;
  Counting observer(&streaming);

  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (std::size_t round = 0; round < rounds; ++round) {
          std::size_t running = concurrency;
          long peak = idle;
          asio::steady_timer all_done(io, asio::steady_timer::time_point::max());
          for (std::size_t i = 0; i < concurrency; ++i) {
            asio::co_spawn(
                io,
                [&]() -> asio::awaitable<void> {
                  const auto result = co_await client.astream(request, &observer);
                  if (!result.ok()) ++failed;
                  if (--running == 0) all_done.cancel();
                },
                asio::detached);
          }
          // Sample every 20 ms while every stream is mid-flight.
          asio::steady_timer tick(io);
          while (running > 0) {
            if (streaming == concurrency) peak = std::max(peak, rss_kib());
            tick.expires_after(20ms);
            co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
          }
          const long after = rss_kib();
          std::printf(
              "round=%zu concurrency=%zu rss_idle_kib=%ld rss_peak_in_flight_kib=%ld rss_after_kib=%ld "
              "harness_kib_per_stream=%.1f failed=%zu\n",
              round + 1, concurrency, idle, peak, after,
              static_cast<double>(peak - idle) / static_cast<double>(concurrency), failed);
          std::fflush(stdout);
        }
        io.stop();  // curl's kept-alive connections would keep the loop alive
      },
      asio::detached);
  io.run();
  return failed == 0 ? 0 : 1;
}
