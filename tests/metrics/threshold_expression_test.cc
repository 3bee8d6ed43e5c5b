#include "harness/metrics/threshold_expression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "harness/metrics/metric_names.h"

namespace llmbench::metrics {
namespace {

TEST(MetricNamesTest, AliasesResolveToCanonicalNames) {
  EXPECT_EQ(canonical_metric_name("throughput"), "requests_per_s");
  EXPECT_EQ(canonical_metric_name("goodput"), "goodput_rps");
  EXPECT_EQ(canonical_metric_name("efficiency"), "throughput_ratio");
  EXPECT_EQ(canonical_metric_name("p999_e2e"), "p99_9_e2e_ms");
  EXPECT_EQ(canonical_metric_name("p99_ttft"), "p99_ttft_ms");
  EXPECT_EQ(canonical_metric_name("p99_ttft_ms"), "p99_ttft_ms");
  EXPECT_EQ(canonical_metric_name("p50_request_output_tokens_per_s"), "p50_request_output_tokens_per_s");
  EXPECT_FALSE(canonical_metric_name("p99_foo_ms"));
  EXPECT_FALSE(canonical_metric_name(""));
  // Every listed name is its own canonical name, and names are unique.
  std::vector<std::string> sorted;
  for (const MetricInfo& m : metric_list()) sorted.push_back(m.name);
  for (const std::string& name : sorted) EXPECT_EQ(canonical_metric_name(name), name);
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
}

TEST(ThresholdExpressionTest, AbsoluteAndRelative) {
  const ThresholdExpression a = parse_threshold_expression("p99_ttft_ms < 200");
  EXPECT_EQ(a.metric, "p99_ttft_ms");
  EXPECT_EQ(a.op, ThresholdExpression::Op::less);
  EXPECT_EQ(a.value, 200);
  EXPECT_FALSE(a.relative);
  EXPECT_EQ(a.text, "p99_ttft_ms < 200");
  const ThresholdExpression e = parse_threshold_expression(" error_rate<=0.1% ");
  EXPECT_EQ(e.op, ThresholdExpression::Op::less_equal);
  EXPECT_DOUBLE_EQ(e.value, 0.001);
  const ThresholdExpression t = parse_threshold_expression("throughput >= -5%");
  EXPECT_EQ(t.metric, "requests_per_s");
  EXPECT_EQ(t.op, ThresholdExpression::Op::greater_equal);
  EXPECT_DOUBLE_EQ(t.value, -0.05);
  EXPECT_TRUE(t.relative);
  const ThresholdExpression p = parse_threshold_expression("p99_e2e > +1e1%");
  EXPECT_EQ(p.op, ThresholdExpression::Op::greater);
  EXPECT_DOUBLE_EQ(p.value, 0.10);
  EXPECT_TRUE(p.relative);
}

TEST(ThresholdExpressionTest, MalformedOrUnknownSaysWhy) {
  const auto problem = [](const char* text) -> std::string {
    try {
      parse_threshold_expression(text);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(problem("p99_foo_ms < 5").find("unknown metric 'p99_foo_ms'"), std::string::npos);
  EXPECT_NE(problem("p99_ttft_ms <<< 5").find("expected METRIC OP VALUE"), std::string::npos);
  EXPECT_NE(problem("p99_ttft_ms = 5").find("expected METRIC OP VALUE"), std::string::npos);
  EXPECT_NE(problem("p99_ttft_ms <").find("expected METRIC OP VALUE"), std::string::npos);
  EXPECT_NE(problem("").find("expected METRIC OP VALUE"), std::string::npos);
  EXPECT_NE(problem("throughput >= -5").find("needs a % unit"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::metrics
