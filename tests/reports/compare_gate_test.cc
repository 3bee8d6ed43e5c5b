#include <gtest/gtest.h>

#include <algorithm>

#include "common/input_error.h"
#include "reports/compare.h"
#include "reports/gate.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

using testing::throughput_report;

const ComparisonRow& row(const std::vector<ComparisonRow>& rows, const std::string& point,
                         const std::string& metric) {
  auto it = std::find_if(rows.begin(), rows.end(),
                         [&](const ComparisonRow& r) { return r.point == point && r.metric == metric; });
  if (it == rows.end()) throw std::runtime_error("no row " + point + " " + metric);
  return *it;
}

TEST(CompareTest, IdenticalReportsAreSameEverywhere) {
  const result::RunReport r = testing::crafted_report();
  const auto rows = compare_reports(r, r, {});
  ASSERT_FALSE(rows.empty());
  for (const auto& x : rows) {
    EXPECT_TRUE(x.verdict == "same" || x.verdict == "missing")
        << x.point << " " << x.metric << " " << x.verdict;
  }
}

TEST(CompareTest, SlowerBuildIsWorseWithTheRightSign) {
  const auto rows = compare_reports(testing::crafted_report(1.0), testing::crafted_report(1.3), {});
  const ComparisonRow& ttft = row(rows, "stream-sync concurrency=4", "p99_ttft_ms");
  EXPECT_EQ(ttft.verdict, "worse");
  EXPECT_GT(*ttft.change, 0.2);
  const ComparisonRow& rps = row(rows, "stream-sync concurrency=4", "requests_per_s");
  EXPECT_EQ(rps.verdict, "worse");
  EXPECT_LT(*rps.change, -0.1);
  EXPECT_FALSE(rps.p_value);  // one repetition: no U test
  const auto reverse = compare_reports(testing::crafted_report(1.3), testing::crafted_report(1.0), {});
  EXPECT_EQ(row(reverse, "stream-sync concurrency=4", "p99_ttft_ms").verdict, "better");
}

TEST(CompareTest, RepetitionsGiveAPValueAndNoiseIsNotAVerdict) {
  // 5 repetitions a side: enough for the test to reach alpha 0.05 (3 are not: gate_checks_test.cc).
  const auto noisy = compare_reports(throughput_report({100, 130, 70, 115, 90}),
                                     throughput_report({85, 120, 60, 105, 80}), {});
  const ComparisonRow& r = row(noisy, "stream-sync concurrency=4", "requests_per_s");
  ASSERT_TRUE(r.p_value);
  EXPECT_GE(*r.p_value, 0.05);
  EXPECT_EQ(r.verdict, "noise");
  EXPECT_EQ(r.base_repetitions, 5u);

  const auto clear = compare_reports(throughput_report({100, 101, 99, 100.5, 102}),
                                     throughput_report({80, 81, 79, 80.5, 82}), {});
  const ComparisonRow& c = row(clear, "stream-sync concurrency=4", "requests_per_s");
  EXPECT_DOUBLE_EQ(*c.p_value, 2.0 / 252.0);
  EXPECT_EQ(c.verdict, "worse");
  EXPECT_NE(format_comparison_text(clear, false).find("worse"), std::string::npos);
  EXPECT_NE(format_comparison_markdown(clear).find("**worse**"), std::string::npos);
}

TEST(CompareTest, UnknownMetricIsAnInputError) {
  CompareOptions options;
  options.metrics = {"p99_nonsense"};
  const result::RunReport r = testing::crafted_report();
  EXPECT_THROW(compare_reports(r, r, options), InputError);
}

TEST(GateTest, ParsesAbsoluteAndRelativeThresholds) {
  const Threshold a = parse_threshold("p99_ttft_ms < 200", "--threshold");
  EXPECT_EQ(a.metric, "p99_ttft_ms");
  EXPECT_EQ(a.op, Threshold::Op::less);
  EXPECT_EQ(a.value, 200);
  EXPECT_FALSE(a.relative);
  const Threshold e = parse_threshold("error_rate < 0.1%", "--threshold");
  EXPECT_DOUBLE_EQ(e.value, 0.001);
  EXPECT_FALSE(e.relative);
  const Threshold t = parse_threshold("throughput >= -5%", "--threshold");
  EXPECT_EQ(t.metric, "requests_per_s");
  EXPECT_EQ(t.op, Threshold::Op::greater_equal);
  EXPECT_DOUBLE_EQ(t.value, -0.05);
  EXPECT_TRUE(t.relative);
  const Threshold p = parse_threshold("p99_e2e <= +10%", "--threshold");
  EXPECT_EQ(p.metric, "p99_e2e_ms");
  EXPECT_DOUBLE_EQ(p.value, 0.10);
  EXPECT_TRUE(p.relative);
}

TEST(GateTest, MalformedThresholdsNameTheFlagAndExpression) {
  for (const char* bad : {"p99_ttft_ms <", "p99_ttft_ms = 5", "bogus_metric < 3", "throughput >= -5", ""}) {
    try {
      parse_threshold(bad, "--threshold");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("--threshold"), std::string::npos) << e.what();
    }
  }
}

TEST(GateTest, AbsoluteThresholdsPassAndFail) {
  const result::RunReport r = testing::crafted_report();
  GateOptions pass{.thresholds = {parse_threshold("p99_ttft_ms < 1000", "t")}};
  EXPECT_TRUE(run_gate(r, nullptr, pass).passed());
  GateOptions fail{.thresholds = {parse_threshold("p99_ttft_ms < 10", "t")}};
  const GateResult failed = run_gate(r, nullptr, fail);
  EXPECT_FALSE(failed.passed());
  EXPECT_EQ(failed.failures(), failed.checks.size());
  // Only the scenario with 429s breaks an error-rate budget.
  GateOptions errors{.thresholds = {parse_threshold("error_rate < 0.1%", "t")}};
  const GateResult e = run_gate(r, nullptr, errors);
  EXPECT_EQ(e.failures(), 1u);
  for (const GateCheck& c : e.checks) EXPECT_EQ(c.passed, c.point != "invoke-threaded") << c.point;
}

TEST(GateTest, RelativeThresholdsAgainstABaseline) {
  const result::RunReport base = testing::crafted_report(1.0);
  const result::RunReport slower = testing::crafted_report(1.3);
  const GateOptions options{.thresholds = {parse_threshold("p99_e2e <= +10%", "t")}};
  EXPECT_TRUE(run_gate(base, &base, options).passed());
  const GateResult r = run_gate(slower, &base, options);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.failures(), r.checks.size());
  EXPECT_TRUE(run_gate(base, &slower, options).passed());  // faster than baseline is fine
  EXPECT_THROW(run_gate(base, nullptr, options), InputError);
}

TEST(GateTest, NoisyButNotSignificantPassesSignificantFails) {
  const GateOptions options{.thresholds = {parse_threshold("throughput >= -5%", "t")}};
  const result::RunReport noisy_base = throughput_report({100, 130, 70, 115, 90});
  const GateResult noisy = run_gate(throughput_report({85, 120, 60, 105, 80}), &noisy_base, options);
  EXPECT_TRUE(noisy.passed());
  ASSERT_EQ(noisy.checks.size(), 1u);
  EXPECT_NE(noisy.checks[0].message.find("not significant"), std::string::npos) << noisy.checks[0].message;

  const result::RunReport base = throughput_report({100, 101, 99, 100.5, 102});
  const GateResult significant = run_gate(throughput_report({80, 81, 79, 80.5, 82}), &base, options);
  EXPECT_FALSE(significant.passed());
  EXPECT_LT(*significant.checks[0].p_value, 0.05);
  // Without repetitions the same drop fails on the threshold alone.
  const result::RunReport one_base = throughput_report({100});
  EXPECT_FALSE(run_gate(throughput_report({85}), &one_base, options).passed());
}

TEST(GateTest, DefaultThresholdsAndSuiteFileThresholds) {
  const result::RunReport base = testing::crafted_report(1.0);
  EXPECT_TRUE(
      run_gate(testing::crafted_report(1.0, 0), &base, {.thresholds = default_thresholds()}).checks.size() >
      0);
  EXPECT_FALSE(run_gate(testing::crafted_report(1.5), &base, {.thresholds = default_thresholds()}).passed());

  result::RunReport with_config = base;
  with_config.config["scenarios"] = boost::json::array{boost::json::object{
      {"name", "stream-sync"}, {"thresholds", boost::json::array{"p99_ttft_ms < 500", "error_rate < 5%"}}}};
  const auto thresholds = thresholds_from_config(with_config, "report.json");
  ASSERT_EQ(thresholds.size(), 2u);
  EXPECT_EQ(thresholds[1].metric, "error_rate");
  EXPECT_TRUE(run_gate(with_config, nullptr, {.thresholds = thresholds}).passed());
  // Scenario-scoped thresholds, as the runner stores the suite file's: only that scenario's points.
  result::RunReport scoped = base;
  scoped.config["scenarios"] =
      boost::json::array{boost::json::object{{"name", "invoke-threaded"},
                                             {"thresholds", boost::json::array{"error_rate < 0.1%"}}},
                         boost::json::object{{"name", "stream-sync"}, {"thresholds", boost::json::array{}}}};
  const auto scoped_thresholds = thresholds_from_config(scoped, "report.json");
  ASSERT_EQ(scoped_thresholds.size(), 1u);
  EXPECT_EQ(scoped_thresholds[0].scenario, "invoke-threaded");
  const GateResult scoped_result = run_gate(scoped, nullptr, {.thresholds = scoped_thresholds});
  ASSERT_EQ(scoped_result.checks.size(), 1u);
  EXPECT_FALSE(scoped_result.passed());

  with_config.config["scenarios"].as_array()[0].as_object()["thresholds"] = boost::json::array{"p99_ttft_ms <<< 5"};
  try {
    thresholds_from_config(with_config, "report.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("report.json: config.scenarios[0].thresholds[0]"), std::string::npos)
        << e.what();
  }
}

// A suite file has no [gate] table (docs/ci.md): the runner stores thresholds only per scenario,
// so a `config.gate` object, which no llmbench writes, is not a source of checks.
TEST(GateTest, StoredThresholdsComeOnlyFromTheScenarios) {
  result::RunReport report = testing::crafted_report();
  report.config["gate"] = boost::json::object{{"thresholds", boost::json::array{"error_rate < 5%"}}};
  EXPECT_TRUE(thresholds_from_config(report, "report.json").empty());
  report.config["scenarios"] = boost::json::array{
      boost::json::object{{"name", "stream-sync"}, {"thresholds", boost::json::array{"error_rate < 5%"}}}};
  const auto stored = thresholds_from_config(report, "report.json");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].scenario, "stream-sync");
}

TEST(GateTest, JunitAndMarkdownShowEveryCheck) {
  const result::RunReport r = testing::crafted_report();
  const GateResult result = run_gate(r, nullptr, {.thresholds = {parse_threshold("error_rate < 0.1%", "t")}});
  const std::string xml = format_gate_junit(result);
  const std::string total = std::to_string(result.checks.size());
  EXPECT_GT(result.checks.size(), 3u);  // every point of every scenario is checked
  EXPECT_NE(xml.find("tests=\"" + total + "\" failures=\"1\""), std::string::npos) << xml;
  std::size_t testcases = 0;
  for (auto at = xml.find("<testcase "); at != std::string::npos; at = xml.find("<testcase ", at + 1))
    ++testcases;
  EXPECT_EQ(testcases, result.checks.size());
  EXPECT_NE(xml.find("<failure message=\"error_rate = 0.040\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("error_rate &lt; 0.1%"), std::string::npos);
  const std::string md = format_gate_markdown(result);
  EXPECT_NE(md.find("**FAIL**"), std::string::npos);
  EXPECT_NE(format_gate_text(result).find("gate: FAILED (1 of " + total + " checks failed)"),
            std::string::npos);
}

}  // namespace
}  // namespace llmbench::reports
