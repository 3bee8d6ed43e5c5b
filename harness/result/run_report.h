#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/client/execution_model.h"
#include "harness/client/operation.h"
#include "harness/metrics/latency_histogram.h"
#include "harness/metrics/session_metrics.h"
#include "harness/metrics/step_metrics.h"
#include "harness/result/distributed_run.h"
#include "harness/result/environment.h"
#include "harness/result/run_labels.h"

namespace llmbench::result {

inline constexpr int kSchemaVersion = 1;

// What the runner knows about the target's configured latency when it is the embedded mock
// (or any server of known latency). Lets reports give machine-speed-independent ratios.
struct MockReference {
  std::optional<double> ttft_ms;  // configured time to first token
  std::optional<double> e2e_ms;   // configured whole-request latency (ttft + (tokens-1) * itl)

  friend bool operator==(const MockReference&, const MockReference&) = default;
};

// Noise-robust figures derived from a step and its MockReference (docs/metrics.md).
struct Efficiency {
  // achieved req/s over the ideal: concurrency / L in closed loop, the target rate in open loop.
  // When the server reports its queue time (Server-Timing), L includes the mean server queue:
  // a server that queues is not the harness's inefficiency.
  std::optional<double> throughput_ratio;
  // measured TTFT minus configured TTFT: the harness's (and loopback's) overhead per request;
  // minus the server's reported queue time too when it sends one (Distributions::ttft_client).
  std::optional<double> ttft_overhead_p50_ms;
  std::optional<double> ttft_overhead_p99_ms;
  // The req/s throughput_ratio divides by: what a perfectly efficient client would achieve.
  std::optional<double> ideal_requests_per_s;
};

// One series of the target's own metrics (Prometheus text: a name and one label set), sampled
// at every scrape of a step (docs/metrics.md, "Server metrics").
struct ServerSeries {
  std::string name;    // as exposed, e.g. "vllm:num_requests_running"
  std::string labels;  // `{model_name="m"}` in the exposition's own syntax, "" without labels
  std::string type;    // counter, gauge, histogram, summary or untyped (# TYPE)
  // One per scrape (ServerMetrics::t_s): null when the series was absent from that scrape or its
  // value was not finite (NaN, +-Inf), which JSON cannot hold.
  std::vector<std::optional<double>> values;

  friend bool operator==(const ServerSeries&, const ServerSeries&) = default;
};

// What the scraper of target.metrics_url saw during one step.
struct ServerMetrics {
  std::string url;
  double interval_s = 0;
  std::vector<double> t_s;  // each successful scrape, seconds after the step's clock start
  std::vector<ServerSeries> series;
  std::uint64_t series_dropped = 0;  // distinct series beyond the cap, not kept
  std::uint64_t failed_scrapes = 0;  // no answer, not 2xx, or not valid exposition text
  std::string last_error;            // the last failed scrape's reason, "" when none failed

  friend bool operator==(const ServerMetrics&, const ServerMetrics&) = default;
};

// One point of a sweep (or the only point of an unswept scenario).
struct StepResult {
  std::string sweep_parameter;  // "concurrency", "rate", or "" when the scenario is not swept
  double sweep_value = 0;
  int repetition = 0;       // steps with equal (parameter, value) are repetitions of one point
  std::string started_at;   // wall-clock ISO 8601 UTC, metadata only
  StopReason stop_reason = StopReason::none;
  bool interrupted = false;
  metrics::StepMetrics metrics;            // includes timing (duration, concurrency, target rate)
  metrics::LatencyHistogram schedule_lag;  // intended vs actual send, filled by the pacer
  // Open loop with a concurrency cap: how long slots waited for a free user (not in schedule_lag).
  metrics::LatencyHistogram cap_wait;
  MockReference reference;
  // The target's /metrics scraped during the step; empty when scraping was off or found nothing.
  std::optional<ServerMetrics> server_metrics;
  // Multi-turn sessions (scenario key `turns`): per-session totals and per-turn figures; absent
  // for one request per slot.
  std::optional<metrics::SessionMetrics> sessions;

  Efficiency efficiency() const;
};

// A scenario's `search`: the highest value of `parameter` whose probe step met the SLO for at
// least `attainment` of its requests, and the lowest that did not (harness/load/slo_search.h).
// The true capacity lies in [answer, upper); its probe steps are the scenario's steps.
struct SearchResult {
  std::string parameter;  // "concurrency" or "rate"
  double attainment = 0;  // the target share of requests within the SLO
  std::optional<double> answer;  // none: even the lowest value missed the target
  std::optional<double> upper;   // none: the ceiling (max) met it too
  bool converged = false;        // the bracket is within the requested precision
  std::uint32_t probes = 0;
  friend bool operator==(const SearchResult&, const SearchResult&) = default;
};

struct ScenarioResult {
  std::string name;
  harness::ExecutionModel mode = harness::ExecutionModel::sync;
  harness::Operation operation = harness::Operation::invoke;
  LoadPattern load_model = LoadPattern::closed;
  std::vector<StepResult> steps;
  std::optional<SearchResult> search;
};

// The canonical result of `llmbench run` (report.json); every formatter is a pure function of it.
struct RunReport {
  int schema_version = kSchemaVersion;
  std::string tool_version;
  std::string started_at;  // wall-clock ISO 8601 UTC
  Environment environment;
  boost::json::object config;  // resolved suite configuration as given by the runner; never API keys
  std::vector<ScenarioResult> scenarios;
  bool interrupted = false;
  std::vector<std::string> merged_from;  // sources combined by `llmbench merge`, else empty
  // Sources of `merged_from` that were themselves interrupted (partial results); the merged
  // report is then `interrupted` too.
  std::vector<std::string> interrupted_inputs;
  // A shard of a distributed run, or their merge (docs/distributed.md); absent otherwise.
  std::optional<DistributedRun> distributed;
};

// Combines reports of the same suite measured side by side by several processes or machines:
// scenarios are matched by name, steps by (parameter, value, repetition); histograms and
// counts add. Throws llmbench::InputError naming the sources when the suites do not match,
// when their workload configurations differ (result::config_hash), or when two inputs are the
// same report. Interrupted inputs are listed in interrupted_inputs.
RunReport merge_reports(const std::vector<RunReport>& reports, const std::vector<std::string>& source_names);

// Wall clock now as ISO 8601 UTC with seconds, e.g. "2026-01-02T03:04:05Z".
std::string wall_clock_now_iso8601();

}  // namespace llmbench::result
