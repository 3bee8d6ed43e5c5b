// Property: for any report, write -> read -> write gives the same bytes, so the reader and the
// writer (the tag_invoke conversions of harness/result/report_json.cc) cannot drift apart.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "common/input_error.h"
#include "harness/result/report_json.h"

namespace llmbench::result {
namespace {

class ReportGenerator {
 public:
  explicit ReportGenerator(std::uint64_t seed) : rng_(seed) {}

  RunReport report() {
    RunReport r;
    r.tool_version = text();
    r.started_at = text();
    r.interrupted = coin();
    for (int i = below(3); i > 0; --i) r.merged_from.push_back(text());
    for (int i = below(2); i > 0; --i) r.interrupted_inputs.push_back(text());
    Environment& e = r.environment;
    e.host = text(), e.cpu_model = text(), e.os = text(), e.kernel = text(), e.build_flavor = text();
    e.tool_version = text(), e.compiler = text(), e.warning = text();
    e.cpu_count = below(512);
    e.load_average_start = maybe(real(0, 64));
    e.load_average_end = maybe(real(0, 64));
    r.config = config(2);
    for (int i = below(4); i > 0; --i) r.scenarios.push_back(scenario());
    if (coin()) r.distributed = distributed();
    return r;
  }

 private:
  DistributedRun distributed() {
    DistributedRun d;
    d.run_id = text();
    d.shard_count = static_cast<std::uint32_t>(1 + below(64));
    d.partial = coin();
    for (int i = below(4); i > 0; --i) {
      ShardRecord s;
      s.index = static_cast<std::uint32_t>(below(static_cast<int>(d.shard_count)));
      s.host = text(), s.planned_start = text(), s.actual_start = text();
      s.requests = count(1u << 30);
      s.requests_per_s = real(0, 1e5);
      d.shards.push_back(std::move(s));
    }
    d.start_skew_ms = maybe(real(0, 1e4));
    return d;
  }
  template <NamedEnum E>
  E any() {
    const auto names = enum_names(E{});
    return names[static_cast<std::size_t>(below(static_cast<int>(names.size())))].value;
  }
  bool coin() { return below(2) == 1; }
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  std::uint64_t count(std::uint64_t max) {
    return std::uniform_int_distribution<std::uint64_t>(0, max)(rng_);
  }
  std::optional<double> maybe(double v) { return coin() ? std::optional<double>(v) : std::nullopt; }
  // Letters, escapes, quotes and multi-byte UTF-8: whatever a host name or a message may hold.
  std::string text() {
    static const std::string pieces[] = {"a", "Z", "0", " ", "\"", "\\", "\n", "\t", "é", "→", "/", "{"};
    std::string s;
    for (int i = below(12); i > 0; --i) s += pieces[below(12)];
    return s;
  }
  boost::json::object config(int depth) {
    boost::json::object o;
    for (int i = below(4); i > 0; --i) {
      const std::string key = text() + std::to_string(i);
      switch (below(depth > 0 ? 5 : 4)) {
        case 0:
          o[key] = text();
          break;
        case 1:
          o[key] = real(-1e6, 1e6);
          break;
        case 2:
          o[key] = static_cast<std::int64_t>(count(1u << 30));
          break;
        case 3:
          o[key] = coin();
          break;
        default:
          o[key] = config(depth - 1);
      }
    }
    return o;
  }
  void fill(metrics::LatencyHistogram& h, double lo, double hi) {
    for (int i = below(40); i > 0; --i) h.record_value(real(lo, hi));
  }
  ScenarioResult scenario() {
    ScenarioResult s;
    s.name = text();
    s.mode = any<harness::ExecutionModel>();
    s.operation = any<harness::Operation>();
    s.load_model = any<LoadPattern>();
    for (int i = below(4); i > 0; --i) s.steps.push_back(step());
    if (coin()) {
      SearchResult search;
      search.parameter = coin() ? "concurrency" : "rate";
      search.attainment = real(0.5, 1);
      search.answer = maybe(real(1, 1e3));
      search.upper = maybe(real(1, 1e3));
      search.converged = coin();
      search.probes = static_cast<std::uint32_t>(below(16));
      s.search = search;
    }
    return s;
  }
  StepResult step() {
    StepResult s;
    static const char* parameters[] = {"", "concurrency", "rate"};
    s.sweep_parameter = parameters[below(3)];
    s.sweep_value = real(0, 1e4);
    s.repetition = below(10);
    s.started_at = text();
    s.stop_reason = any<StopReason>();
    s.interrupted = coin();
    metrics::StepMetrics& m = s.metrics;
    m.timing.duration_s = coin() ? 0.0 : real(0, 3600);
    m.timing.concurrency = below(1000);
    m.timing.target_rate_rps = maybe(real(0.1, 1e4));
    m.slo = {maybe(real(1, 1e3)), maybe(real(1, 1e3)), maybe(real(1, 1e4))};
    metrics::RequestCounts& c = m.counts;
    for (std::size_t k = 1; k < harness::kErrorKindCount; ++k) {
      c.errors_by_kind[k] = coin() ? 0 : count(50);
      c.failed += c.errors_by_kind[k];
      // Details count at most the kind's failures.
      const auto kind = static_cast<harness::ErrorKind>(k);
      for (std::uint64_t n = count(c.errors_by_kind[k]); n > 0; --n)
        m.error_details.add(kind, coin() ? 0 : 400 + below(200), text());
    }
    c.ok = count(1000);
    c.total = c.ok + c.failed;
    c.retries = count(100), c.input_tokens = count(1u << 20), c.output_tokens = count(1u << 20);
    c.good = count(c.ok), c.rejected_attempts = count(100), c.estimated_usage = coin() ? 0 : count(c.ok);
    c.counted_usage = coin() ? 0 : count(c.ok);
    c.reasoning_tokens = coin() ? 0 : count(c.output_tokens);  // written only when > 0
    c.stopped_early = coin() ? 0 : count(c.ok);                // written only when > 0
    c.window.measured = coin();
    if (c.window.measured)
      c.window = {true, real(0, 1e3), real(0, 1e3), real(0, 1e6), real(0, 1e6), real(0, 1e4)};
    const bool reasoning = coin();  // ttfo is written only when a request reasoned
    metrics::Distributions::for_each(m.distributions, [&](std::string_view name, metrics::LatencyHistogram& h) {
      if (name == "ttfo" && !reasoning) return;
      const double lo = h.range().lowest, hi = h.range().highest;
      fill(h, lo / 2, coin() ? lo * 1e4 : hi * 2);  // under- and overflows too
    });
    fill(s.schedule_lag, 0, 1e8);
    fill(s.cap_wait, 0, 1e8);
    // The per-second series: requests around the window start (negative seconds too).
    for (int i = below(30); i > 0; --i) {
      harness::RequestRecord r;
      r.start_ns = 1'000'000'000'000 + static_cast<std::int64_t>(real(-3e9, 20e9));
      r.end_ns = r.start_ns + static_cast<std::int64_t>(real(0, 4e9));
      r.first_token_ns = coin() ? r.start_ns + (r.end_ns - r.start_ns) / 3 : 0;
      r.output_tokens = static_cast<std::uint32_t>(count(500));
      if (coin())
        r.error = static_cast<harness::ErrorKind>(1 + below(static_cast<int>(harness::kErrorKindCount) - 1));
      m.time_series.record(r, 1'000'000'000'000);
    }
    m.throughput = metrics::compute_throughput(c, m.timing, m.slo);  // as the runner derives it
    s.reference = {maybe(real(1, 100)), maybe(real(1, 1e4))};
    if (coin()) s.server_metrics = server_metrics();
    if (coin()) s.sessions = sessions();
    return s;
  }

  // Multi-turn sessions: totals that add up, per-turn figures with any histograms.
  metrics::SessionMetrics sessions() {
    metrics::SessionMetrics m;
    m.completed = count(100), m.failed = count(20), m.cut = count(20);
    m.started = m.completed + m.failed + m.cut;
    m.turns = count(1000);
    fill(m.duration, 1e3, 1e11);
    for (int k = below(6); k > 0; --k) {
      metrics::TurnMetrics t;
      t.requests = count(100);
      t.failed = count(t.requests);
      t.prompt_tokens = count(1u << 20);
      fill(t.ttft, 1e3, 1e10);
      fill(t.e2e, 1e3, 1e10);
      m.per_turn.push_back(std::move(t));
    }
    return m;
  }

  // Scrapes with gaps (null values) and any text in names and labels.
  ServerMetrics server_metrics() {
    ServerMetrics m;
    m.url = text();
    m.interval_s = real(0.01, 10);
    for (int i = below(6); i > 0; --i) m.t_s.push_back(real(-1, 600));
    for (int i = below(5); i > 0; --i) {
      ServerSeries series{text(), text(), text(), {}};
      for (std::size_t k = 0; k < m.t_s.size(); ++k) series.values.push_back(maybe(real(-1e9, 1e9)));
      m.series.push_back(std::move(series));
    }
    m.series_dropped = count(100);
    m.failed_scrapes = count(100);
    m.last_error = text();
    return m;
  }

  std::mt19937_64 rng_;
};

TEST(ReportRoundTripTest, WriteReadWriteIsIdenticalForGeneratedReports) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const std::string first = to_json_text(ReportGenerator(seed).report());
    const std::string second = to_json_text(report_from_json(first, "generated.json"));
    ASSERT_EQ(second, first) << "seed " << seed;
  }
}

TEST(ReportRoundTripTest, GeneratedReportsCoverEveryEnumValue) {
  std::set<std::string> seen;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    for (const ScenarioResult& s : ReportGenerator(seed).report().scenarios) {
      seen.insert("mode " + std::string(to_name(s.mode)));
      seen.insert("operation " + std::string(to_name(s.operation)));
      seen.insert("load " + std::string(to_name(s.load_model)));
      for (const StepResult& step : s.steps) seen.insert("stop " + std::string(to_name(step.stop_reason)));
    }
  }
  EXPECT_EQ(seen.size(), enum_names(harness::ExecutionModel{}).size() +
                             enum_names(harness::Operation{}).size() + enum_names(LoadPattern{}).size() +
                             enum_names(StopReason{}).size());
}

TEST(ReportRoundTripTest, GoldReportReadsBackToTheSameBytes) {
  const std::string path = std::string(LLMBENCH_TEST_DATA_DIR) + "/reports/crafted.report.json";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(to_json_text(load_report_file(path)), text.str());
}

TEST(ReportRoundTripTest, UnknownEnumNamesAreRejectedWithTheAcceptedOnes) {
  RunReport r = ReportGenerator(7).report();
  r.scenarios.assign(1, ScenarioResult());
  r.scenarios[0].steps.resize(1);
  std::string text = to_json_text(r);
  const std::string mode = "\"mode\": \"sync\"";
  text.replace(text.find(mode), mode.size(), "\"mode\": \"fibers\"");
  try {
    report_from_json(text, "r.json");
    FAIL() << "an unknown mode was accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(
        e.what(),
        "r.json: scenarios[0]: mode: \"fibers\" is not one of \"sync\", \"threaded\", \"coroutine\"");
  }
}

}  // namespace
}  // namespace llmbench::result
