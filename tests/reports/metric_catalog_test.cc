// The harness knows metric names (to check a scenario file's thresholds before a run); the
// reports catalog knows their values. The two lists must be the same, in the same order.
#include "reports/metric_catalog.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/metrics/metric_names.h"

namespace llmbench::reports {
namespace {

TEST(MetricCatalogTest, NamesAreExactlyTheHarnessMetricNames) {
  std::vector<std::string> catalog;
  for (const MetricDef& m : metric_catalog()) catalog.push_back(m.name);
  EXPECT_EQ(catalog, metrics::metric_names())
      << "a metric added to reports/metric_catalog.cc must be added to harness/metrics/metric_names.cc too";
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
