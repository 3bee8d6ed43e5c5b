// Scale benchmark client for the mock: holds N concurrent streaming requests over keep-alive
// connections (raw Asio, one thread, ramped start) against a running mock, and prints the
// achieved concurrency, TTFT and ITL error against the configured values, SSE events/s and
// the mock's CPU time per token (from /proc/PID/stat before and after), its memory per open
// stream (VmRSS with every stream open minus VmRSS before the first connect) and how long its
// threads sat runnable in the run queue (/proc/PID/task/*/schedstat): on a shared machine that
// wait, not the engine, is what the TTFT error measures once the cores are busy.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/clock.h"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct Stats {
  std::vector<double> ttft_error_ms, itl_error_ms;
  std::uint64_t events = 0, tokens = 0, completed = 0, failed = 0;
  int active = 0, peak_active = 0;
  std::vector<int> active_samples;
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 8000, streams = 1000, tokens = 32;
  double ttft_ms = 50, itl_ms = 100, duration_s = 20, ramp_s = 2;
  int pid = 0;
};

// This process's own CPU time, so a run shows whether the client, not the mock, was the limit.
double own_cpu_us() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::uint64_t cpu_ticks(int pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return utime + stime;
}

// VmRSS of `pid` in KiB.
std::int64_t rss_kib(int pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

// Summed over the process's threads: ns on a CPU, ns runnable but waiting for one, and the
// number of times a thread was put on a CPU.
struct SchedStat {
  std::uint64_t run_ns = 0, wait_ns = 0, slices = 0;
};
SchedStat sched_stat(int pid) {
  SchedStat total;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid), ec)) {
    std::ifstream in(task.path() / "schedstat");
    std::uint64_t run = 0, wait = 0, slices = 0;
    if (in >> run >> wait >> slices) {
      total.run_ns += run;
      total.wait_ns += wait;
      total.slices += slices;
    }
  }
  return total;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

asio::awaitable<void> stream_loop(const Options& o, Stats& s, std::int64_t start_at, std::int64_t end_at) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  timer.expires_at(llmbench::steady_from_ns(start_at));
  co_await timer.async_wait(use_tuple);
  tcp::socket socket(ex);
  auto [cec] = co_await socket.async_connect({asio::ip::make_address(o.host), static_cast<std::uint16_t>(o.port)},
                                            use_tuple);
  if (cec) {
    ++s.failed;
    co_return;
  }
  socket.set_option(tcp::no_delay(true));
  const std::string body = fmt::format(
      R"({{"model":"mock-model","messages":[{{"role":"user","content":"hi"}}],"stream":true,"max_tokens":{}}})",
      o.tokens);
  const std::string request = fmt::format(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
      o.host, body.size(), body);
  std::vector<char> buf(16 * 1024);  // 5,000 streams: keep the client's memory small
  while (llmbench::steady_now_ns() < end_at) {
    // Asio attempts the send inside async_write's initiation, so this is when the request
    // went out (it fits the socket buffer in one send).
    const std::int64_t sent = llmbench::steady_now_ns();
    auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(request), use_tuple);
    if (wec) break;
    ++s.active;
    s.peak_active = std::max(s.peak_active, s.active);
    std::int64_t last = 0;
    bool done = false, ok = false;
    std::string carry;
    while (!done) {
      auto [rec, n] = co_await socket.async_read_some(asio::buffer(buf), use_tuple);
      if (rec) break;
      const std::int64_t now = llmbench::steady_now_ns();
      carry.append(buf.data(), n);
      std::size_t events = 0, pos = 0;
      while ((pos = carry.find("\n\n", pos)) != std::string::npos) {
        ++events;
        pos += 2;
      }
      if (carry.find("data: [DONE]") != std::string::npos) done = ok = true;
      // Keep only the unfinished tail.
      const auto tail = carry.rfind("\n\n");
      if (tail != std::string::npos) carry.erase(0, tail + 2);
      if (events == 0) continue;
      s.events += events;
      if (last == 0) {
        s.ttft_error_ms.push_back(static_cast<double>(now - sent) / 1e6 - o.ttft_ms);
      } else {
        s.itl_error_ms.push_back(static_cast<double>(now - last) / 1e6 - o.itl_ms);
      }
      last = now;
    }
    --s.active;
    if (!ok) {
      ++s.failed;
      break;
    }
    ++s.completed;
    s.tokens += static_cast<std::uint64_t>(o.tokens);
  }
}

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"mock_load_client: hold N concurrent streams against a running llmbench mock"};
  app.add_option("--host", o.host);
  app.add_option("--port", o.port)->required();
  app.add_option("--streams", o.streams);
  app.add_option("--tokens", o.tokens);
  app.add_option("--ttft-ms", o.ttft_ms, "the mock's configured TTFT");
  app.add_option("--itl-ms", o.itl_ms, "the mock's configured ITL");
  app.add_option("--duration", o.duration_s, "seconds, ramp included (max 60)")->check(CLI::Range(1.0, 60.0));
  app.add_option("--ramp", o.ramp_s, "seconds over which streams start");
  app.add_option("--pid", o.pid, "the mock's process id, for CPU per token");
  CLI11_PARSE(app, argc, argv);

  asio::io_context ioc(1);
  Stats s;
  const std::int64_t rss_idle = o.pid ? rss_kib(o.pid) : 0;
  const std::int64_t t0 = llmbench::steady_now_ns();
  const std::int64_t end_at = t0 + static_cast<std::int64_t>(o.duration_s * 1e9);
  for (int i = 0; i < o.streams; ++i) {
    const auto start_at = t0 + static_cast<std::int64_t>(o.ramp_s * 1e9 * i / std::max(1, o.streams));
    asio::co_spawn(ioc, stream_loop(o, s, start_at, end_at), asio::detached);
  }
  // Measure only after the ramp: sample concurrency and the mock's CPU over the steady part.
  asio::steady_timer ramp(ioc, llmbench::steady_from_ns(t0 + static_cast<std::int64_t>((o.ramp_s + 1) * 1e9)));
  std::uint64_t cpu_before = 0, tokens_before = 0, events_before = 0;
  std::int64_t rss_loaded = 0;
  int active_at_measure = 0;
  SchedStat sched_before, sched_after, own_sched_before, own_sched_after;
  double client_cpu_before = 0, client_cpu_after = 0;
  std::int64_t measure_from = 0;
  std::size_t ttft_from = 0, itl_from = 0;
  ramp.async_wait([&](boost::system::error_code) {
    cpu_before = o.pid ? cpu_ticks(o.pid) : 0;
    if (o.pid) {
      rss_loaded = rss_kib(o.pid);
      sched_before = sched_stat(o.pid);
    }
    active_at_measure = s.active;
    own_sched_before = sched_stat(static_cast<int>(::getpid()));
    client_cpu_before = own_cpu_us();
    tokens_before = s.events;
    events_before = s.events;
    measure_from = llmbench::steady_now_ns();
    ttft_from = s.ttft_error_ms.size();
    itl_from = s.itl_error_ms.size();
  });
  std::uint64_t cpu_after = 0, events_after = 0;
  std::int64_t measure_to = 0;
  int active_at_end = 0;
  asio::steady_timer stop(ioc, llmbench::steady_from_ns(end_at - 500'000'000));
  stop.async_wait([&](boost::system::error_code) {
    cpu_after = o.pid ? cpu_ticks(o.pid) : 0;
    if (o.pid) {
      rss_loaded = std::max(rss_loaded, rss_kib(o.pid));
      sched_after = sched_stat(o.pid);
    }
    client_cpu_after = own_cpu_us();
    own_sched_after = sched_stat(static_cast<int>(::getpid()));
    events_after = s.events;
    measure_to = llmbench::steady_now_ns();
    active_at_end = s.active;
  });
  ioc.run_for(std::chrono::seconds(static_cast<long>(o.duration_s) + 30));
  (void)tokens_before;

  const double seconds = static_cast<double>(measure_to - measure_from) / 1e9;
  const double events = static_cast<double>(events_after - events_before);
  const std::vector<double> ttft(s.ttft_error_ms.begin() + static_cast<std::ptrdiff_t>(ttft_from), s.ttft_error_ms.end());
  const std::vector<double> itl(s.itl_error_ms.begin() + static_cast<std::ptrdiff_t>(itl_from), s.itl_error_ms.end());
  const double cpu_us = static_cast<double>(cpu_after - cpu_before) * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
  fmt::print("streams {} (peak active {}, active at end {}), completed {}, failed {}\n", o.streams, s.peak_active,
             active_at_end, s.completed, s.failed);
  fmt::print("ttft error ms: p50 {:.2f} p99 {:.2f} max {:.2f} (n={})\n", percentile(ttft, 0.5), percentile(ttft, 0.99),
             percentile(ttft, 1.0), ttft.size());
  fmt::print("itl error ms: p50 {:.2f} p99 {:.2f} (n={})\n", percentile(itl, 0.5), percentile(itl, 0.99), itl.size());
  fmt::print("sse events/s {:.0f} over {:.1f} s\n", events / seconds, seconds);
  if (o.pid) {
    fmt::print("mock cpu us per event {:.2f} (cpu {:.2f} s)\n", events > 0 ? cpu_us / events : 0.0, cpu_us / 1e6);
    const double wait_s = static_cast<double>(sched_after.wait_ns - sched_before.wait_ns) / 1e9;
    const auto slices = sched_after.slices - sched_before.slices;
    fmt::print("mock run-queue wait {:.2f} s of {:.1f} s ({:.0f} us per wake-up over {} wake-ups)\n", wait_s, seconds,
               slices > 0 ? wait_s * 1e6 / static_cast<double>(slices) : 0.0, slices);
    const int open_streams = std::max(1, active_at_measure);
    fmt::print("mock rss idle {} KiB, with {} streams open {} KiB: {:.1f} KiB per stream\n", rss_idle, open_streams,
               rss_loaded, static_cast<double>(rss_loaded - rss_idle) / open_streams);
  }
  fmt::print("client cpu us per event {:.2f} (cpu {:.2f} s)\n",
             events > 0 ? (client_cpu_after - client_cpu_before) / events : 0.0,
             (client_cpu_after - client_cpu_before) / 1e6);
  const double own_wait_s = static_cast<double>(own_sched_after.wait_ns - own_sched_before.wait_ns) / 1e9;
  fmt::print("client run-queue wait {:.2f} s of {:.1f} s\n", own_wait_s, seconds);
  fmt::print("load average {}\n", load_average());
  return 0;
}
