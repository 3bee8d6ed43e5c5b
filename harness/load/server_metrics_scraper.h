#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "harness/result/run_report.h"

namespace llmbench::load {

// Where and how often the target's Prometheus /metrics is read during each step
// (target.metrics_url, target.metrics_interval; docs/metrics.md, "Server metrics").
struct ScrapeSettings {
  std::string url;
  std::chrono::nanoseconds interval{std::chrono::seconds(1)};
  // Series kept per step besides the first-class vLLM ones (kFirstClassMetrics): a server
  // exposing thousands does not make the report grow without bound. Counted when dropped.
  std::size_t max_other_series = 100;
  bool verify_tls = true;
  std::string ca_file;
};

// The vLLM names always kept when present: running/waiting requests, KV-cache usage (V0 and V1
// names), prompt/generation token counters, preemptions.
inline constexpr std::string_view kFirstClassMetrics[] = {
    "vllm:num_requests_running",  "vllm:num_requests_waiting",    "vllm:gpu_cache_usage_perc",
    "vllm:kv_cache_usage_perc",   "vllm:prompt_tokens_total",     "vllm:generation_tokens_total",
    "vllm:num_preemptions_total"};

// The URL scraped when target.metrics_url is not given: the target's origin + "/metrics"
// (vLLM, SGLang, TGI and the mock serve it at the root, whatever the API path).
std::string default_metrics_url(const std::string& base_url);

// One GET of `url` and a strict parse of the answer: "" when it is Prometheus text, else why
// not ("HTTP 404", "line 3: ...", "Couldn't connect to server").
std::string probe_metrics(const ScrapeSettings& settings);

// Accumulates scrapes into a step's ServerMetrics: one series per (name, labels), a value per
// scrape (null where a series was absent). Histogram buckets and summary quantiles (samples
// labelled `le` or `quantile`) are skipped; their _sum and _count are kept. Not thread-safe.
class ServerSeriesTable {
 public:
  ServerSeriesTable(std::string url, std::chrono::nanoseconds interval, std::size_t max_other_series);
  // Adds one scrape taken at `t_s` (seconds after the step's start). Throws
  // metrics::prometheus::ParseError when `text` is not exposition text (nothing added then).
  void add_scrape(double t_s, std::string_view text);
  void add_failure(std::string reason);
  const result::ServerMetrics& result() const { return result_; }

 private:
  result::ServerMetrics result_;
  std::size_t max_other_series_;
  std::size_t other_series_ = 0;
  std::map<std::string, std::size_t, std::less<>> index_;  // name + labels -> series
  std::map<std::string, bool, std::less<>> dropped_;        // distinct dropped series
};

// Scrapes on its own thread with its own curl handle, never on the load's loops: at once, then
// every interval, and once more at stop(), each with a timeout no longer than the interval
// (at least 0.5 s). A failed scrape is counted and the scraping goes on.
class ServerMetricsScraper {
 public:
  ServerMetricsScraper(ScrapeSettings settings, std::int64_t step_start_ns);
  ~ServerMetricsScraper();
  ServerMetricsScraper(const ServerMetricsScraper&) = delete;
  ServerMetricsScraper& operator=(const ServerMetricsScraper&) = delete;

  // Takes the last scrape, stops the thread and hands over what was scraped.
  result::ServerMetrics stop();

 private:
  void run();
  void scrape();

  ScrapeSettings settings_;
  std::int64_t step_start_ns_;
  ServerSeriesTable table_;  // scraper thread only, until joined
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> abort_{false};  // cuts a scrape in flight short at stop()
  std::thread thread_;
};

}  // namespace llmbench::load
