#include "harness/load/server_metrics_scraper.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "common/clock.h"
#include "harness/client/client_context.h"
#include "harness/metrics/prometheus_text.h"

namespace llmbench::load {

namespace prom = metrics::prometheus;

namespace {

constexpr std::size_t kMaxBodyBytes = 16u << 20;  // a /metrics page larger than this is refused

struct Fetched {
  std::string body;
  std::string error;  // "" on a 2xx answer
};

struct Sink {
  std::string* body;
  const std::atomic<bool>* abort;
};

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (sink->body->size() + n > kMaxBodyBytes) return 0;
  try {
    sink->body->append(data, n);
  } catch (...) {
    return 0;
  }
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept {
  const auto* sink = static_cast<Sink*>(user);
  return sink->abort != nullptr && sink->abort->load(std::memory_order_relaxed) ? 1 : 0;
}

Fetched http_get(const ScrapeSettings& s, std::chrono::milliseconds timeout, const std::atomic<bool>* abort) {
  harness::ensure_curl_initialized();
  Fetched out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), &curl_easy_cleanup);
  if (!easy) {
    out.error = "curl_easy_init failed";
    return out;
  }
  char error[CURL_ERROR_SIZE] = {};
  Sink sink{&out.body, abort};
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &sink);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, s.verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, s.verify_tls ? 2L : 0L);
  if (!s.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, s.ca_file.c_str());
  const CURLcode code = curl_easy_perform(e);
  if (code != CURLE_OK) {
    out.error = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
    return out;
  }
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) out.error = fmt::format("HTTP {}", status);
  return out;
}

std::chrono::milliseconds scrape_timeout(std::chrono::nanoseconds interval) {
  using std::chrono::milliseconds;
  return std::clamp(std::chrono::duration_cast<milliseconds>(interval), milliseconds(500), milliseconds(5000));
}

bool first_class(std::string_view name) {
  return std::find(std::begin(kFirstClassMetrics), std::end(kFirstClassMetrics), name) != std::end(kFirstClassMetrics);
}

}  // namespace

std::string default_metrics_url(const std::string& base_url) {
  const std::size_t scheme = base_url.find("://");
  const std::size_t path = base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return base_url.substr(0, path) + "/metrics";
}

std::string probe_metrics(const ScrapeSettings& settings) {
  const Fetched f = http_get(settings, scrape_timeout(settings.interval), nullptr);
  if (!f.error.empty()) return f.error;
  try {
    prom::parse(f.body);
  } catch (const prom::ParseError& e) {
    return fmt::format("not Prometheus text: {}", e.what());
  }
  return {};
}

ServerSeriesTable::ServerSeriesTable(std::string url, std::chrono::nanoseconds interval, std::size_t max_other_series)
    : max_other_series_(max_other_series) {
  result_.url = std::move(url);
  result_.interval_s = static_cast<double>(interval.count()) / 1e9;
}

void ServerSeriesTable::add_scrape(double t_s, std::string_view text) {
  const prom::Exposition e = prom::parse(text);  // throws before anything changes
  result::ServerMetrics& r = result_;
  r.t_s.push_back(t_s);
  for (auto& series : r.series) series.values.emplace_back(std::nullopt);
  for (const prom::Sample& sample : e.samples) {
    const bool bucket = std::any_of(sample.labels.begin(), sample.labels.end(),
                                    [](const auto& l) { return l.first == "le" || l.first == "quantile"; });
    if (bucket) continue;
    std::string labels = prom::labels_text(sample.labels);
    std::string key = sample.name + labels;
    auto it = index_.find(key);
    if (it == index_.end()) {
      const bool kept = first_class(sample.name) || other_series_ < max_other_series_;
      if (!kept) {
        if (dropped_.emplace(std::move(key), true).second) ++r.series_dropped;
        continue;
      }
      if (!first_class(sample.name)) ++other_series_;
      result::ServerSeries series{sample.name, std::move(labels),
                                  std::string(prom::metric_type_name(e.type_of_sample(sample.name))),
                                  std::vector<std::optional<double>>(r.t_s.size())};
      it = index_.emplace(std::move(key), r.series.size()).first;
      r.series.push_back(std::move(series));
    }
    if (std::isfinite(sample.value)) r.series[it->second].values.back() = sample.value;
  }
}

void ServerSeriesTable::add_failure(std::string reason) {
  ++result_.failed_scrapes;
  result_.last_error = std::move(reason);
}

ServerMetricsScraper::ServerMetricsScraper(ScrapeSettings settings, std::int64_t step_start_ns)
    : settings_(std::move(settings)),
      step_start_ns_(step_start_ns),
      table_(settings_.url, settings_.interval, settings_.max_other_series) {
  thread_ = std::thread([this] { run(); });
}

ServerMetricsScraper::~ServerMetricsScraper() {
  if (!thread_.joinable()) return;
  abort_ = true;  // not stopped by stop(): an exception unwinds the step; do not wait
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ServerMetricsScraper::scrape() {
  const std::int64_t taken = steady_now_ns();
  const Fetched f = http_get(settings_, scrape_timeout(settings_.interval), &abort_);
  if (!f.error.empty()) {
    table_.add_failure(f.error);
    return;
  }
  try {
    table_.add_scrape(static_cast<double>(taken - step_start_ns_) / 1e9, f.body);
  } catch (const prom::ParseError& e) {
    table_.add_failure(fmt::format("not Prometheus text: {}", e.what()));
  }
}

void ServerMetricsScraper::run() {
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    if (abort_) return;
    scrape();
    next += settings_.interval;
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
  }
  if (!abort_) scrape();  // the state at the step's end
}

result::ServerMetrics ServerMetricsScraper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  return table_.result();
}

}  // namespace llmbench::load
