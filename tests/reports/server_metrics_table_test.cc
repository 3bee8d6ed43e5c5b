#include "reports/server_metrics_table.h"

#include <gtest/gtest.h>

#include "reports/formatters.h"

namespace llmbench::reports {
namespace {

result::ServerSeries series(std::string name, std::string labels, std::vector<std::optional<double>> values) {
  return {std::move(name), std::move(labels), "gauge", std::move(values)};
}

result::ScenarioResult scenario_with_server_metrics() {
  result::ServerMetrics m;
  m.url = "http://x/metrics";
  m.interval_s = 1;
  m.t_s = {0, 1, 2};
  m.series = {series("vllm:num_requests_running", "{engine=\"0\"}", {0, 3, 1}),
              series("vllm:num_requests_running", "{engine=\"1\"}", {1, 2, std::nullopt}),  // summed per scrape
              series("vllm:num_requests_waiting", "", {0, 4, 0}),
              series("vllm:kv_cache_usage_perc", "", {0.25, 0.5, std::nullopt}),
              series("vllm:gpu_cache_usage_perc", "", {0.9, 0.9, 0.9}),  // V0 name: V1's wins
              series("vllm:generation_tokens_total", "", {100, 150, 400})};
  m.failed_scrapes = 1;
  result::ScenarioResult s;
  s.name = "s";
  s.steps.resize(2);  // the first step has no server metrics: no row
  s.steps[1].server_metrics = m;
  return s;
}

TEST(ServerMetricsTable, OneRowPerScrapedStepWithPeaksMeansAndIncreases) {
  const auto table = server_metrics_table(scenario_with_server_metrics());
  ASSERT_TRUE(table.has_value());
  ASSERT_EQ(table->rows.size(), 1u);
  const auto& row = table->rows[0];
  EXPECT_EQ(row[0], "step 2");
  EXPECT_EQ(row[1], "3 (1 failed)");
  EXPECT_EQ(row[2], "5");  // 3 + 2 at the second scrape
  EXPECT_EQ(row[3], "4");
  EXPECT_EQ(row[4], "37.50");  // mean of 25 % and 50 %: absent scrapes do not count
  EXPECT_EQ(row[5], "50");
  EXPECT_EQ(row[6], "-");  // not exposed
  EXPECT_EQ(row[7], "300");
}

TEST(ServerMetricsTable, AbsentWithoutServerMetrics) {
  result::ScenarioResult s;
  s.steps.resize(1);
  EXPECT_FALSE(server_metrics_table(s).has_value());
}

TEST(ServerMetricsTable, MarkdownAndHtmlShowIt) {
  result::RunReport report;
  report.scenarios.push_back(scenario_with_server_metrics());
  EXPECT_NE(format_markdown(report).find("Server metrics (the target's /metrics during each step)"), std::string::npos);
  EXPECT_NE(format_html(report).find("<h2>Server metrics</h2>"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::reports
