// client_bench: closed-loop req/s and client-process CPU of each execution model against the
// mock provider running in a separate (forked) process, so the CPU figures are the client's
// alone. Prints one line per run; not a test (timing figures belong here, not in ctest).
//
//   client_bench MODE CONCURRENCY REQUESTS [LOOP_THREADS] [stream|invoke]
//   e.g. client_bench coroutine 1000 5000 2
// Mock: stream: TTFT 50 ms, ITL 10 ms, 32 tokens, streaming requests; invoke: no latency,
// 1 token, non-streaming requests. 127.0.0.1 only. CLIENT_BENCH_URL=http://127.0.0.1:PORT uses
// an already running mock instead (e.g. to compare with wrk against the same server).
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/coroutine_lanes.h"
#include "common/clock.h"
#include "harness/client/client.h"
#include "harness/client/execution_model.h"
#include "mock_provider/mock_server.h"

using namespace llmbench;
using namespace llmbench::harness;
using namespace std::chrono_literals;

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

struct Tally {
  std::mutex mutex;
  std::vector<double> ttft_ms;
  std::size_t ok = 0, failed = 0, tokens = 0;
  void add(const InvokeResult& r) {
    std::lock_guard lock(mutex);
    if (r.ok()) {
      ++ok;
      tokens += r.record.output_tokens;
      ttft_ms.push_back(static_cast<double>(r.record.first_token_ns - r.record.start_ns) / 1e6);
    } else {
      ++failed;
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s sync|threaded|coroutine CONCURRENCY REQUESTS [LOOP_THREADS]\n", argv[0]);
    return 2;
  }
  const auto model = from_name<ExecutionModel>(argv[1]);
  const std::size_t concurrency = std::strtoul(argv[2], nullptr, 10);
  const std::size_t requests = std::strtoul(argv[3], nullptr, 10);
  const std::size_t loop_threads = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 2;
  const std::string op = argc > 5 ? argv[5] : "stream";
  const bool stream = op == "stream";
  const char* external_url = std::getenv("CLIENT_BENCH_URL");
  if ((op != "stream" && op != "invoke") || !model || concurrency == 0 || requests == 0 || requests > 100000 || concurrency > 5000) {
    std::fprintf(stderr, "bad arguments\n");
    return 2;
  }
  mock::raise_open_file_limit();

  // The mock in a child process; it reports its port through a pipe and serves until killed.
  int fds[2];
  if (pipe(fds) != 0) return 1;
  const pid_t child = external_url != nullptr ? -1 : fork();
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed parent
    close(fds[0]);
    auto config = stream ? mock::MockConfig::fixed_latency(50ms, 10ms, 32) : mock::MockConfig::fixed_latency(0ms, 0ms, 1);
    config.port = 0;
    mock::MockServer server(config);
    server.start();
    const std::uint16_t port = server.port();
    if (write(fds[1], &port, sizeof port) != sizeof port) _exit(1);
    close(fds[1]);
    pause();  // until the parent's SIGTERM
    _exit(0);
  }
  close(fds[1]);
  std::uint16_t port = 0;
  if (child > 0 && read(fds[0], &port, sizeof port) != sizeof port) return 1;
  close(fds[0]);

  Endpoint endpoint;
  endpoint.base_url = child > 0 ? "http://127.0.0.1:" + std::to_string(port) : std::string(external_url);
  endpoint.timeouts.total = 60s;
  ChatRequest request;
  request.messages = {{"user", "benchmark"}};

  Tally tally;
  const double cpu0 = cpu_seconds();
  const auto t0 = steady_now_ns();
  const std::size_t effective_concurrency = *model == ExecutionModel::sync ? 1 : concurrency;
  {
    Client client(*model, endpoint, *model == ExecutionModel::coroutine ? loop_threads : concurrency);
    auto add = [&](const InvokeResult& result) { tally.add(result); };
    bench::run_closed_loop(client, effective_concurrency, requests, request, stream, add);
  }
  const double seconds = static_cast<double>(steady_now_ns() - t0) / 1e9;
  const double cpu = cpu_seconds() - cpu0;
  if (child > 0) {
    kill(child, SIGTERM);
    waitpid(child, nullptr, 0);
  }

  const double ideal = stream ? static_cast<double>(effective_concurrency) / (0.050 + 31 * 0.010) : 0.0;
  std::printf(
      "mode=%s op=%s concurrency=%zu requests=%zu ok=%zu failed=%zu seconds=%.2f req/s=%.1f ideal=%.1f "
      "tokens/s=%.0f client_cpu_s=%.2f cpu_util=%.0f%% cpu_us/req=%.0f cpu_us/token=%.1f ttft_p50_ms=%.1f ttft_p99_ms=%.1f\n",
      argv[1], op.c_str(), effective_concurrency, requests, tally.ok, tally.failed, seconds,
      static_cast<double>(requests) / seconds, ideal, static_cast<double>(tally.tokens) / seconds, cpu,
      100.0 * cpu / seconds, 1e6 * cpu / static_cast<double>(requests),
      tally.tokens == 0 ? 0.0 : 1e6 * cpu / static_cast<double>(tally.tokens), percentile(tally.ttft_ms, 0.5),
      percentile(tally.ttft_ms, 0.99));
  return tally.failed == 0 ? 0 : 1;
}
