// Server metrics (issue 15 item 4): the series table, and scraping the mock's /metrics during a
// run through the runner, as `llmbench run` does.
#include "harness/load/server_metrics_scraper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

#include "common/input_error.h"
#include "common/interrupt.h"
#include "harness/load/runner.h"
#include "harness/metrics/prometheus_text.h"
#include "mock_provider/mock_server.h"
#include "tests/load/hooked_prompts.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;

TEST(ServerMetricsScraper, DefaultUrlIsTheOriginsMetrics) {
  EXPECT_EQ(default_metrics_url("http://127.0.0.1:8000"), "http://127.0.0.1:8000/metrics");
  EXPECT_EQ(default_metrics_url("https://host/v1"), "https://host/metrics");
}

TEST(ServerMetricsScraper, TableAlignsSeriesPerScrapeSkipsBucketsAndCapsOthers) {
  ServerSeriesTable table("u", 1s, /*max_other_series=*/1);
  table.add_scrape(0.5,
                   "# TYPE vllm:num_requests_running gauge\n"
                   "vllm:num_requests_running{model_name=\"m\"} 2\n"
                   "other_a 1\n"
                   "# TYPE h histogram\n"
                   "h_bucket{le=\"+Inf\"} 3\n");
  table.add_scrape(1.5,
                   "vllm:num_requests_running{model_name=\"m\"} NaN\n"
                   "vllm:num_requests_waiting{model_name=\"m\"} 4\n"
                   "other_a 2\nother_b 7\nother_c 8\nother_c 9\n");
  EXPECT_THROW(table.add_scrape(2.5, "bad{ 1\n"), metrics::prometheus::ParseError);
  const result::ServerMetrics& m = table.result();
  EXPECT_EQ(m.t_s, (std::vector<double>{0.5, 1.5}));  // the bad scrape added nothing
  ASSERT_EQ(m.series.size(), 3u);
  EXPECT_EQ(m.series[0].name, "vllm:num_requests_running");
  EXPECT_EQ(m.series[0].labels, "{model_name=\"m\"}");
  EXPECT_EQ(m.series[0].type, "gauge");
  EXPECT_EQ(m.series[0].values, (std::vector<std::optional<double>>{2.0, std::nullopt}));  // NaN: null
  EXPECT_EQ(m.series[1].name, "other_a");  // the one other series the cap allows
  EXPECT_EQ(m.series[1].values, (std::vector<std::optional<double>>{1.0, 2.0}));
  // First-class names are kept beyond the cap, absent scrapes are null.
  EXPECT_EQ(m.series[2].name, "vllm:num_requests_waiting");
  EXPECT_EQ(m.series[2].values, (std::vector<std::optional<double>>{std::nullopt, 4.0}));
  EXPECT_EQ(m.series_dropped, 2u);  // other_b, other_c (counted once); h_bucket skipped
}

class ScrapeRunTest : public ::testing::Test {
 protected:
  void SetUp() override { reset_interrupt_for_testing(); }

  static SuiteSpec suite() {
    ScenarioSpec s;
    s.name = "scraped";
    s.mode = harness::ExecutionModel::coroutine;
    s.operation = Operation::stream;
    s.threads = 1;
    s.timeouts.total = 20s;
    s.plan.concurrency = 4;
    s.plan.requests = 24;
    SuiteSpec suite;
    suite.name = "test";
    suite.source = "scraper_test";
    suite.scenarios = {s};
    suite.target.metrics_interval = 20ms;
    return suite;
  }

  RunOutcome run(const SuiteSpec& suite, const PromptSource* prompts = nullptr) {
    RunOptions o;
    o.prompts = prompts;
    o.embedded = EmbeddedTarget{server_.base_url(), {}, std::nullopt};
    return run_suite(suite, o);
  }

  static std::optional<double> max_of(const result::ServerMetrics& m, std::string_view name) {
    std::optional<double> max;
    for (const auto& s : m.series) {
      if (s.name != name) continue;
      for (const auto& v : s.values) {
        if (v) max = std::max(max.value_or(*v), *v);
      }
    }
    return max;
  }

  mock::MockConfig mock_ = [] {
    mock::MockConfig c = mock::MockConfig::fixed_latency(20ms, 5ms, 4);
    c.port = 0;
    c.decode_slots = 2;  // 4 users on 2 slots: requests wait, the KV cache fills
    return c;
  }();
  mock::MockServer server_{mock_};
  bool started_ = (server_.start(), true);
};

TEST_F(ScrapeRunTest, TheMocksVllmMetricsAreScrapedDuringTheStep) {
  const RunOutcome outcome = run(suite());
  const auto& step = outcome.report.scenarios.at(0).steps.at(0);
  ASSERT_TRUE(step.server_metrics.has_value());
  const result::ServerMetrics& m = *step.server_metrics;
  EXPECT_EQ(m.url, server_.base_url() + "/metrics");
  EXPECT_EQ(m.failed_scrapes, 0u) << m.last_error;  // the mock's text passes the strict parser
  ASSERT_GE(m.t_s.size(), 3u);  // at the start, during, and at the end
  EXPECT_TRUE(std::is_sorted(m.t_s.begin(), m.t_s.end()));
  EXPECT_EQ(max_of(m, "vllm:num_requests_running"), 2.0);
  EXPECT_GE(max_of(m, "vllm:num_requests_waiting").value_or(0), 1.0);
  EXPECT_EQ(max_of(m, "vllm:kv_cache_usage_perc"), 1.0);
  EXPECT_EQ(max_of(m, "vllm:gpu_cache_usage_perc"), 1.0);
  EXPECT_EQ(max_of(m, "vllm:num_preemptions_total"), 0.0);
  // The counters' last scrape (after the step) holds every generated token.
  for (const auto& s : m.series) {
    if (s.name == "vllm:generation_tokens_total") {
      EXPECT_EQ(s.values.back(), 24.0 * 4);
    }
  }
  // Histogram buckets are not kept; their counts are.
  for (const auto& s : m.series) EXPECT_EQ(s.name.find("_bucket"), std::string::npos) << s.name;
  EXPECT_TRUE(max_of(m, "vllm:e2e_request_latency_seconds_count").has_value());
}

TEST_F(ScrapeRunTest, OffScrapesNothing) {
  SuiteSpec s = suite();
  s.target.metrics_url = "off";
  EXPECT_FALSE(run(s).report.scenarios.at(0).steps.at(0).server_metrics.has_value());
}

TEST_F(ScrapeRunTest, AnExplicitUrlThatDoesNotAnswerIsAnErrorBeforeMeasuring) {
  SuiteSpec s = suite();
  s.target.metrics_url = server_.base_url() + "/no-such-metrics";
  std::atomic<int> built{0};
  const testing::HookedPrompts prompts([&built](std::uint64_t, harness::ChatRequest&) { ++built; });
  try {
    run(s, &prompts);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("target.metrics_url"), std::string::npos) << what;
    EXPECT_NE(what.find("HTTP 404"), std::string::npos) << what;
  }
  EXPECT_EQ(built.load(), 0);  // nothing was measured: not one request was built
}

}  // namespace
}  // namespace llmbench::load
