// The harness owns the metric list (names, units, direction, order); the reports catalog adds
// each metric's value, and has a value for every metric.
#include "reports/metric_catalog.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/metrics/metric_names.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

TEST(MetricCatalogTest, IsTheHarnessListWithAValueForEveryMetric) {
  const auto& list = metrics::metric_list();
  const auto& catalog = metric_catalog();
  ASSERT_EQ(catalog.size(), list.size());
  const result::StepResult step = testing::crafted_report().scenarios.at(0).steps.at(0);
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(catalog[i].name, list[i].name);
    EXPECT_EQ(catalog[i].unit, list[i].unit);
    EXPECT_EQ(catalog[i].higher_is_better, list[i].higher_is_better);
    ASSERT_TRUE(catalog[i].value) << list[i].name;
  }
  // Latency statistics are in ms: the crafted TTFT is 54 ms plus up to 20 ms of jitter.
  const double p50_ttft_ms = find_metric("p50_ttft_ms")->value(step).value_or(0);
  EXPECT_GT(p50_ttft_ms, 50);
  EXPECT_LT(p50_ttft_ms, 80);
}

TEST(MetricCatalogTest, FindMetricUsesTheHarnessAliases) {
  ASSERT_NE(find_metric("throughput"), nullptr);
  EXPECT_EQ(find_metric("throughput")->name, "requests_per_s");
  ASSERT_NE(find_metric("p999_ttft"), nullptr);
  EXPECT_EQ(find_metric("p999_ttft")->name, "p99_9_ttft_ms");
  EXPECT_EQ(find_metric("p99_foo_ms"), nullptr);
}

}  // namespace
}  // namespace llmbench::reports
