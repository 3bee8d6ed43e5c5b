#include "reports/latency_views.h"

#include <gtest/gtest.h>

#include "reports/formatters.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

using testing::kMs;

// An open-loop step whose requests were sent `late_ms` after their intended time: the corrected
// latency (from the intended send) is that much longer than the measured one.
result::StepResult late_step(std::int64_t late_ms, const metrics::Slo& slo = {}) {
  testing::StepShape shape;
  shape.concurrency = 16;
  shape.requests = 100;
  metrics::MetricsRecorder recorder(slo);
  for (harness::RequestRecord r : testing::crafted_records(shape)) {
    r.intended_start_ns -= late_ms * kMs;
    recorder.record(r);
  }
  result::StepResult step;
  step.sweep_parameter = "rate";
  step.sweep_value = 100;
  step.metrics = recorder.summarize({.duration_s = 1, .concurrency = 16, .target_rate_rps = 100});
  return step;
}

result::RunReport report_with(std::vector<result::StepResult> steps) {
  result::RunReport report = testing::crafted_report();
  result::ScenarioResult s;
  s.name = "open";
  s.mode = harness::ExecutionModel::coroutine;
  s.operation = harness::Operation::stream;
  s.load_model = result::LoadPattern::constant;
  s.steps = std::move(steps);
  report.scenarios = {s};
  return report;
}

TEST(LatencyViewsTest, CorrectedDiffersOnlyBeyondFivePercent) {
  EXPECT_FALSE(corrected_differs(late_step(0)));
  EXPECT_FALSE(corrected_differs(late_step(2)));  // ~1% of a ~290 ms e2e: noise, not shown
  EXPECT_TRUE(corrected_differs(late_step(200)));
  const result::StepResult nothing;  // nothing measured
  EXPECT_FALSE(corrected_differs(nothing));
}

TEST(LatencyViewsTest, CorrectedTableHasOnlyTheStepsThatDiffer) {
  result::ScenarioResult s;
  s.steps = {late_step(0), late_step(200)};
  s.steps[1].sweep_value = 200;
  const auto table = corrected_latency_table(s);
  ASSERT_TRUE(table.has_value());
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0][0], "rate=200");
  // corrected p50 ≈ measured p50 + 200 ms
  EXPECT_NEAR(std::stod(table->rows[0][2]) - std::stod(table->rows[0][1]), 200, 5);
  s.steps.pop_back();
  EXPECT_FALSE(corrected_latency_table(s).has_value());
}

TEST(LatencyViewsTest, ConsoleAndMarkdownShowCorrectedLatencyOnlyWhenItDiffers) {
  const result::RunReport same = report_with({late_step(0)});
  EXPECT_EQ(format_console(same).find("corrected latency"), std::string::npos);
  EXPECT_EQ(format_markdown(same).find("Corrected latency"), std::string::npos);
  const result::RunReport late = report_with({late_step(200)});
  EXPECT_NE(format_console(late).find("corrected latency (from the intended send time"), std::string::npos);
  EXPECT_NE(format_markdown(late).find("| step | e2e p50 ms | corrected p50 ms |"), std::string::npos);
}

TEST(LatencyViewsTest, GoodputOnlyWithAnSlo) {
  const metrics::Slo slo{.ttft_ms = 60, .tpot_ms = {}, .e2e_ms = 500};
  EXPECT_EQ(slo_text(slo), "TTFT <= 60 ms, e2e <= 500 ms");
  EXPECT_EQ(slo_text({}), "");

  const result::RunReport without = report_with({late_step(0)});
  EXPECT_EQ(format_console(without).find("goodput"), std::string::npos);
  EXPECT_EQ(format_markdown(without).find("Goodput"), std::string::npos);

  const result::StepResult step = late_step(0, slo);
  ASSERT_TRUE(step.metrics.throughput.goodput_rps.has_value());
  result::ScenarioResult s;
  s.steps = {step};
  const auto table = goodput_table(s);
  ASSERT_TRUE(table.has_value());
  const auto& row = table->rows.at(0);
  EXPECT_EQ(row[1], "TTFT <= 60 ms, e2e <= 500 ms");
  EXPECT_EQ(row[2], std::to_string(step.metrics.counts.good));
  EXPECT_EQ(row[3], "100");
  EXPECT_EQ(row[4], format_number(static_cast<double>(step.metrics.counts.good)));  // of 100 requests
  EXPECT_EQ(row[5], format_number(*step.metrics.throughput.goodput_rps));

  const result::RunReport with = report_with({step});
  EXPECT_NE(format_console(with).find("goodput (requests within every SLO):\nstep "), std::string::npos);
  EXPECT_NE(format_markdown(with).find("| SLO attainment % | goodput req/s |"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::reports
