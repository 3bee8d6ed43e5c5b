#include "reports/sweep_verdict.h"

#include <gtest/gtest.h>

#include <vector>

#include "reports/formatters.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

// A point of a concurrency sweep against a server of known 1 s latency: ideal req/s == C.
result::StepResult point(double concurrency, double ratio, std::optional<double> in_flight = {},
                         int repetition = 0) {
  result::StepResult step;
  step.sweep_parameter = "concurrency";
  step.sweep_value = concurrency;
  step.repetition = repetition;
  step.metrics.timing.duration_s = 10;
  step.metrics.timing.concurrency = concurrency;
  step.metrics.throughput.requests_per_s = ratio * concurrency;
  step.metrics.throughput.mean_in_flight = in_flight;
  step.reference.e2e_ms = 1000;
  return step;
}

result::ScenarioResult sweep(const std::string& name, std::vector<result::StepResult> steps) {
  result::ScenarioResult s;
  s.name = name;
  s.mode = harness::ExecutionModel::coroutine;
  s.operation = harness::Operation::stream;
  s.load_model = result::LoadPattern::closed;
  s.steps = std::move(steps);
  return s;
}

TEST(SweepVerdictTest, KeepsUpToTheLastPointWithTheLowestRatio) {
  const auto s = sweep("coroutine-stream", {point(64, 0.99), point(128, 0.975), point(256, 0.98)});
  EXPECT_EQ(sweep_verdict(s), "coroutine-stream reaches at least 97% of ideal up to C=256");
}

TEST(SweepVerdictTest, NamesThePointWhereItFallsBelowNinetyPercentWithInFlight) {
  // Steps out of order: the verdict sorts by the swept value.
  const auto s =
      sweep("threaded-stream", {point(128, 0.81, 104.0), point(32, 0.99), point(64, 0.95), point(256, 0.5)});
  EXPECT_EQ(
      sweep_verdict(s),
      "threaded-stream reaches at least 95% of ideal up to C=64; falls below 90% at C=128 (81%, mean in "
      "flight 104 of 128)");
}

TEST(SweepVerdictTest, BelowFromTheFirstPoint) {
  const auto s = sweep("sync-stream", {point(1, 0.85), point(4, 0.95)});
  EXPECT_EQ(sweep_verdict(s), "sync-stream is below 90% of ideal from C=1 (85%)");
}

TEST(SweepVerdictTest, RepetitionsCountByTheirMedian) {
  const auto s = sweep("r", {point(8, 0.5, {}, 0), point(8, 0.96, {}, 1), point(8, 0.97, {}, 2)});
  EXPECT_EQ(sweep_verdict(s), "r reaches at least 96% of ideal up to C=8");
}

TEST(SweepVerdictTest, RateSweepsNameTheRate) {
  result::StepResult a = point(0, 0.98), b = point(0, 0.7);
  for (auto* step : {&a, &b}) step->sweep_parameter = "rate";
  a.sweep_value = 10;
  a.metrics.timing.target_rate_rps = 10;
  a.metrics.throughput.requests_per_s = 9.8;
  b.sweep_value = 50;
  b.metrics.timing.target_rate_rps = 50;
  b.metrics.throughput.requests_per_s = 35;
  EXPECT_EQ(sweep_verdict(sweep("open", {a, b})),
            "open reaches at least 98% of ideal up to 10 req/s; falls below 90% at 50 req/s (70%)");
}

TEST(SweepVerdictTest, CappedOpenLoopsSayTheIdealIsTheCaps) {
  // 16 users at 1 s latency: 16 req/s at most, whatever the target rate.
  result::StepResult a = point(16, 0), b = point(16, 0);
  for (auto* step : {&a, &b}) step->sweep_parameter = "rate";
  a.sweep_value = 10;
  a.metrics.timing.target_rate_rps = 10;
  a.metrics.throughput.requests_per_s = 9.9;
  b.sweep_value = 100;
  b.metrics.timing.target_rate_rps = 100;
  b.metrics.throughput.requests_per_s = 15.8;
  EXPECT_EQ(
      sweep_verdict(sweep("capped", {a, b})),
      "capped reaches at least 98% of ideal up to 100 req/s; at 100 req/s the ideal is 16 req/s (cap of 16 "
      "users)");
}

TEST(SweepVerdictTest, SaysNothingWithoutAnIdealOrASweep) {
  result::StepResult unknown = point(16, 0.99);
  unknown.reference = {};  // a real server: no known latency, no ideal
  EXPECT_EQ(sweep_verdict(sweep("url", {unknown, unknown})), std::nullopt);
  result::StepResult unswept = point(16, 0.99);
  unswept.sweep_parameter = "";
  EXPECT_EQ(sweep_verdict(sweep("single", {unswept})), std::nullopt);
}

// The HTML marks the same knee the verdict names, including after a dip that recovers.
TEST(SweepVerdictTest, TheKneeIsWhereTheVerdictSaysItFallsBelow) {
  const auto falls = sweep("t", {point(64, 0.95), point(128, 0.81), point(256, 0.93), point(512, 0.7)});
  ASSERT_TRUE(sweep_verdict(falls).has_value());
  EXPECT_NE(sweep_verdict(falls)->find("falls below 90% at C=128"), std::string::npos)
      << *sweep_verdict(falls);
  EXPECT_EQ(sweep_knee(falls), 128.0);
  EXPECT_EQ(sweep_knee(sweep("s", {point(1, 0.85), point(4, 0.95)})), std::nullopt);  // below from the start
  EXPECT_EQ(sweep_knee(sweep("c", {point(64, 0.99), point(256, 0.98)})), std::nullopt);  // never below
}

TEST(SweepVerdictTest, ConsoleAndMarkdownPrintTheVerdictOnlyWhenThereIsOne) {
  result::RunReport report = testing::crafted_report();
  report.scenarios = {sweep("coroutine-stream", {point(64, 0.99), point(256, 0.98)})};
  EXPECT_NE(
      format_console(report).find("verdict: coroutine-stream reaches at least 98% of ideal up to C=256\n"),
      std::string::npos);
  EXPECT_NE(
      format_markdown(report).find("**Verdict:** coroutine-stream reaches at least 98% of ideal up to C=256"),
      std::string::npos);
  for (auto& step : report.scenarios[0].steps) step.reference = {};
  EXPECT_EQ(format_console(report).find("verdict"), std::string::npos);
  EXPECT_EQ(format_markdown(report).find("Verdict"), std::string::npos);
}

TEST(SearchVerdictTest, NamesTheAnswerTheFirstFailureAndTheProbes) {
  result::ScenarioResult s = sweep("capacity", {});
  EXPECT_EQ(search_verdict(s), std::nullopt);
  s.search = result::SearchResult{"concurrency", 0.95, 4.0, 5.0, true, 6};
  EXPECT_EQ(search_verdict(s),
            "SLO search: highest concurrency with at least 95% of requests within the SLO: C=4 (C=5 did not; 6 probes)");
  s.search = result::SearchResult{"rate", 0.99, 12.5, 13.75, false, 16};
  EXPECT_EQ(search_verdict(s),
            "SLO search: highest rate with at least 99% of requests within the SLO: 12.5 req/s (13.75 req/s did not; 16 "
            "probes; stopped at max_probes before the bracket was within the precision)");
  s.search = result::SearchResult{"concurrency", 0.95, 64.0, std::nullopt, true, 7};
  EXPECT_EQ(search_verdict(s),
            "SLO search: highest concurrency with at least 95% of requests within the SLO: C=64, the search's max: "
            "raise it to find the limit (7 probes)");
  s.search = result::SearchResult{"concurrency", 0.95, std::nullopt, 1.0, true, 1};
  EXPECT_EQ(search_verdict(s),
            "SLO search: no concurrency had at least 95% of requests within the SLO; even C=1 did not (1 probe)");
}

}  // namespace
}  // namespace llmbench::reports
