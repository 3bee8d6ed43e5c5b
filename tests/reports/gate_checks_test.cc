// Which checks `llmbench gate` runs and how it judges them: a baseline is never ignored, every
// check names its origin, and repetition counts too small for the U test never turn a
// regression into "not significant" (gate) or "noise" (compare).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "reports/compare.h"
#include "reports/gate.h"
#include "reports/mann_whitney.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

using testing::throughput_report;

// The crafted report as `llmbench run suite.toml` would store it, with absolute thresholds that
// every point passes.
result::RunReport with_stored_thresholds(result::RunReport report) {
  report.config["source"] = "suite.toml";
  boost::json::array scenarios;
  for (const result::ScenarioResult& s : report.scenarios) {
    scenarios.push_back(boost::json::object{
        {"name", s.name}, {"thresholds", boost::json::array{"p99_ttft_ms < 100000", "error_rate < 50%"}}});
  }
  report.config["scenarios"] = std::move(scenarios);
  return report;
}

TEST(GateSelectionTest, BaselineChecksRunAsWellAsStoredThresholds) {
  const result::RunReport base = with_stored_thresholds(testing::crafted_report(1.0));
  const result::RunReport slower = with_stored_thresholds(testing::crafted_report(1.5));
  const ThresholdSelection selection = select_thresholds({}, slower, "new.json", &base, "base.json");
  const auto stored = std::count_if(
      selection.thresholds.begin(), selection.thresholds.end(),
      [](const Threshold& t) { return t.origin == "scenario file suite.toml (stored in new.json)"; });
  const auto from_baseline =
      std::count_if(selection.thresholds.begin(), selection.thresholds.end(),
                    [](const Threshold& t) { return has(t.origin, "baseline comparison with base.json"); });
  EXPECT_EQ(stored, 6);  // 2 per scenario, 3 scenarios
  EXPECT_EQ(from_baseline, static_cast<long>(default_thresholds().size()));

  const GateResult result = run_gate(slower, &base, {.thresholds = selection.thresholds});
  EXPECT_FALSE(result.passed());
  for (const GateCheck& c : result.checks) {
    // Only the baseline comparison catches the slower build: the stored thresholds are loose.
    if (has(c.origin, "scenario file")) {
      EXPECT_TRUE(c.passed) << c.threshold << " " << c.message;
    }
  }
  const std::string text = format_gate_text(result);
  EXPECT_TRUE(has(text, "from scenario file suite.toml (stored in new.json)")) << text;
  EXPECT_TRUE(has(text, "from baseline comparison with base.json (default thresholds)")) << text;
  const std::string md = format_gate_markdown(result);
  EXPECT_TRUE(has(md, "- 14 from scenario file suite.toml (stored in new.json): 0 failed")) << md;
  EXPECT_TRUE(has(md, "from baseline comparison with base.json (default thresholds): ")) << md;
  EXPECT_TRUE(has(md, "| `p99_ttft_ms <= +10%` | baseline comparison |")) << md;
  EXPECT_TRUE(has(md, "| `error_rate < 50%` | scenario file |")) << md;
  const std::string xml = format_gate_junit(result);
  EXPECT_TRUE(has(xml,
                  "<testsuite name=\"llmbench gate: scenario file suite.toml (stored in new.json)\" "
                  "tests=\"14\" failures=\"0\""))
      << xml;
  EXPECT_TRUE(
      has(xml, "<testsuite name=\"llmbench gate: baseline comparison with base.json (default thresholds)\""))
      << xml;

  // Against itself the baseline comparison still runs, and only the default absolute error budget
  // (error_rate < 1%) fails, where the crafted report has 4 % of 429s.
  const GateResult same =
      run_gate(base, &base, {.thresholds = select_thresholds({}, base, "b", &base, "b").thresholds});
  EXPECT_EQ(same.checks.size(), 14u + 4u * 7u);
  EXPECT_EQ(same.failures(), 1u);
  for (const GateCheck& c : same.checks) {
    EXPECT_EQ(c.passed, !(c.threshold == "error_rate < 1%" && c.point == "invoke-threaded")) << c.threshold;
  }
}

TEST(GateSelectionTest, FlagsReplaceStoredThresholdsAndSaySo) {
  const result::RunReport base = with_stored_thresholds(testing::crafted_report(1.0));
  const std::vector<Threshold> flags = {parse_threshold("p99_e2e <= +20%", "--threshold")};
  const ThresholdSelection selection = select_thresholds(flags, base, "new.json", &base, "base.json");
  ASSERT_EQ(selection.thresholds.size(), 1u);  // relative already: no defaults added
  EXPECT_EQ(selection.thresholds[0].origin, "--threshold");
  ASSERT_EQ(selection.notes.size(), 1u);
  EXPECT_TRUE(has(selection.notes[0], "replaces the 6 thresholds stored in new.json")) << selection.notes[0];
  // An absolute flag with a baseline: the baseline comparison is added.
  const ThresholdSelection absolute = select_thresholds({parse_threshold("p99_e2e < 1000", "--threshold")},
                                                        base, "new.json", &base, "base.json");
  EXPECT_EQ(absolute.thresholds.size(), 1 + default_thresholds().size());
  // Nothing stored, no flag, no baseline: nothing to check is a usage error.
  EXPECT_THROW(select_thresholds({}, testing::crafted_report(), "r.json", nullptr, ""), InputError);
}

TEST(GateSelectionTest, DifferentBaselineWorkloadIsANote) {
  result::RunReport base = testing::crafted_report(1.0);
  result::RunReport current = testing::crafted_report(1.0);
  current.config["target"] = boost::json::object{{"kind", "mock"}, {"ttft", "30ms"}};
  const ThresholdSelection selection = select_thresholds({}, current, "new.json", &base, "base.json");
  ASSERT_EQ(selection.notes.size(), 1u);
  EXPECT_TRUE(has(selection.notes[0], "different workload configuration")) << selection.notes[0];
  EXPECT_TRUE(has(selection.notes[0], "target.ttft: (absent) vs \"30ms\"")) << selection.notes[0];
}

TEST(GateSignificanceTest, UnreachableAlphaFallsBackToTheThreshold) {
  // repetitions = 3 on both sides, throughput -44%: the smallest possible p is 0.10 > 0.05.
  const GateOptions options{.thresholds = {parse_threshold("throughput >= -5%", "t")}};
  const result::RunReport base = throughput_report({100, 101, 99});
  const GateResult r = run_gate(throughput_report({56, 57, 55}), &base, options);
  ASSERT_EQ(r.checks.size(), 1u);
  const GateCheck& c = r.checks[0];
  EXPECT_FALSE(c.passed) << c.message;
  EXPECT_EQ(c.repetitions_needed, 4u);
  EXPECT_FALSE(has(c.message, "not significant")) << c.message;
  EXPECT_TRUE(has(c.message, "significance not testable")) << c.message;
  EXPECT_TRUE(has(c.message, "need 4 repetitions on each side")) << c.message;
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_TRUE(has(format_gate_text(r), "note: 1 relative checks have too few repetitions"))
      << format_gate_text(r);
  // Within the threshold it still passes.
  EXPECT_TRUE(run_gate(throughput_report({98, 99, 97}), &base, options).passed());
  // 2 against 7 cannot reach 0.05 either: the smallest p is 2/36.
  const result::RunReport seven = throughput_report({100, 101, 99, 102, 98, 100.5, 99.5});
  EXPECT_FALSE(run_gate(throughput_report({56, 57}), &seven, options).passed());
  // With 5 and 5 the test can decide, and noise still passes as not significant.
  const result::RunReport noisy_base = throughput_report({100, 130, 70, 115, 90});
  const GateResult noisy = run_gate(throughput_report({85, 120, 60, 105, 80}), &noisy_base, options);
  EXPECT_TRUE(noisy.passed());
  EXPECT_TRUE(has(noisy.checks[0].message, "not significant")) << noisy.checks[0].message;
  EXPECT_FALSE(noisy.checks[0].repetitions_needed);
  EXPECT_TRUE(noisy.notes.empty());
}

TEST(CompareSignificanceTest, TooFewRepetitionsIsNotNoise) {
  const auto rows = compare_reports(throughput_report({100, 101, 99}), throughput_report({56, 57, 55}),
                                    {.metrics = {"requests_per_s"}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].verdict, "worse");
  EXPECT_EQ(rows[0].repetitions_needed, 4u);
  ASSERT_TRUE(rows[0].p_value);
  EXPECT_NEAR(*rows[0].p_value, 0.1, 1e-12);
  const std::string text = format_comparison_text(rows, false);
  EXPECT_TRUE(has(text, "worse (too few repetitions to test significance: need 4)")) << text;
  EXPECT_FALSE(has(text, "noise")) << text;
  EXPECT_TRUE(has(format_comparison_markdown(rows), "**worse** (too few repetitions"))
      << format_comparison_markdown(rows);
  // Testable counts keep the noise verdict.
  const auto noisy =
      compare_reports(throughput_report({100, 130, 70, 115, 90}), throughput_report({85, 120, 60, 105, 80}),
                      {.metrics = {"requests_per_s"}});
  EXPECT_EQ(noisy[0].verdict, "noise");
  EXPECT_FALSE(noisy[0].repetitions_needed);
}

TEST(CompareWorkloadTest, MismatchNamesBothHashesAndTheKeys) {
  const result::RunReport base = testing::crafted_report();
  EXPECT_FALSE(workload_mismatch(base, "a.json", base, "b.json"));
  result::RunReport other = base;
  other.config["suite"] = "another";
  const auto warning = workload_mismatch(base, "a.json", other, "b.json");
  ASSERT_TRUE(warning);
  EXPECT_TRUE(has(*warning, "(a.json has config_hash fnv1a64:")) << *warning;
  EXPECT_TRUE(has(*warning, "suite: \"crafted\" vs \"another\"")) << *warning;
}

TEST(MannWhitneyReachTest, SmallestPValueAndRepetitionsNeeded) {
  EXPECT_DOUBLE_EQ(mann_whitney_min_p_value(3, 3), 0.1);
  EXPECT_DOUBLE_EQ(mann_whitney_min_p_value(4, 4), 2.0 / 70.0);
  EXPECT_DOUBLE_EQ(mann_whitney_min_p_value(3, 4), 2.0 / 35.0);
  EXPECT_DOUBLE_EQ(mann_whitney_min_p_value(2, 8), 2.0 / 45.0);
  EXPECT_EQ(mann_whitney_min_p_value(1, 5), 1.0);
  EXPECT_LT(mann_whitney_min_p_value(20, 20), 1e-6);  // normal approximation
  EXPECT_EQ(mann_whitney_repetitions_needed(0.05), 4u);
  EXPECT_EQ(mann_whitney_repetitions_needed(0.10), 4u);  // 3/3 gives exactly 0.10, not below
  EXPECT_EQ(mann_whitney_repetitions_needed(0.2), 3u);
  EXPECT_EQ(mann_whitney_repetitions_needed(0.01), 5u);
  EXPECT_FALSE(mann_whitney_repetitions_needed(0.0));
}

}  // namespace
}  // namespace llmbench::reports
