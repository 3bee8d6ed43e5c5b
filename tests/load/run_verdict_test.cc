// The exit-code rule for failed runs: a step with requests and no success fails the run.
#include "harness/load/run_verdict.h"

#include <gtest/gtest.h>

#include "harness/client/error_kind.h"

namespace llmbench::load {
namespace {

using harness::ErrorKind;

result::StepResult step_with(std::uint64_t ok,
                             std::initializer_list<std::pair<ErrorKind, std::uint64_t>> errors) {
  result::StepResult step;
  auto& counts = step.metrics.counts;
  counts.ok = ok;
  counts.total = ok;
  for (const auto& [kind, n] : errors) {
    counts.errors_by_kind[static_cast<std::size_t>(kind)] = n;
    counts.failed += n;
    counts.total += n;
  }
  return step;
}

using harness::ExecutionModel;
using harness::Operation;
using result::LoadPattern;

result::RunReport report_of(std::vector<result::ScenarioResult> scenarios) {
  result::RunReport report;
  report.scenarios = std::move(scenarios);
  return report;
}

TEST(RunVerdictTest, StepsWithAnySuccessPass) {
  result::ScenarioResult s{"mixed", ExecutionModel::coroutine, Operation::stream, LoadPattern::closed, {}, std::nullopt};
  s.steps.push_back(step_with(1, {{ErrorKind::timeout, 99}}));
  s.steps.push_back(step_with(5, {}));
  EXPECT_FALSE(first_unsuccessful_step(report_of({s})).has_value());
}

TEST(RunVerdictTest, AStepWithoutRequestsIsNotAFailure) {
  result::ScenarioResult s{"empty", ExecutionModel::sync, Operation::invoke, LoadPattern::closed, {}, std::nullopt};
  s.steps.push_back(step_with(0, {}));
  EXPECT_FALSE(first_unsuccessful_step(report_of({s})).has_value());
}

TEST(RunVerdictTest, NamesTheFirstStepItsTopErrorAndHowManyMoreFailed) {
  result::ScenarioResult good{"good", ExecutionModel::coroutine, Operation::stream, LoadPattern::closed, {}, std::nullopt};
  good.steps.push_back(step_with(3, {}));
  result::ScenarioResult swept{"sweep", ExecutionModel::threaded, Operation::invoke, LoadPattern::closed, {}, std::nullopt};
  swept.steps.push_back(step_with(2, {}));
  swept.steps.push_back(step_with(0, {{ErrorKind::connect, 3}, {ErrorKind::truncated, 5}}));
  swept.steps.back().sweep_parameter = "concurrency";
  swept.steps.back().sweep_value = 8;
  swept.steps.push_back(step_with(0, {{ErrorKind::http_5xx, 1}}));

  const auto found = first_unsuccessful_step(report_of({good, swept}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->label, "sweep [2/3] concurrency=8");
  EXPECT_EQ(found->requests, 8u);
  EXPECT_EQ(found->top_error_kind, "truncated");
  EXPECT_EQ(found->top_error_count, 5u);
  EXPECT_EQ(found->more_steps, 1u);
  const std::string line = describe(*found);
  EXPECT_NE(line.find("'sweep [2/3] concurrency=8'"), std::string::npos) << line;
  EXPECT_NE(line.find("truncated x5"), std::string::npos) << line;
  EXPECT_NE(line.find("1 more step "), std::string::npos) << line;
}

TEST(RunVerdictTest, TiesGoToTheFirstKindInErrorKindOrder) {
  result::ScenarioResult s{"tie", ExecutionModel::sync, Operation::invoke, LoadPattern::closed, {}, std::nullopt};
  s.steps.push_back(step_with(0, {{ErrorKind::http_5xx, 2}, {ErrorKind::connect, 2}}));
  const auto found = first_unsuccessful_step(report_of({s}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->top_error_kind, "connect");
  EXPECT_EQ(found->more_steps, 0u);
}

TEST(RunVerdictTest, SaysTheTopKindsMostFrequentStatusAndMessage) {
  result::ScenarioResult s{"adhoc", ExecutionModel::coroutine, Operation::invoke, LoadPattern::closed, {}, std::nullopt};
  s.steps.push_back(step_with(0, {{ErrorKind::http_4xx, 6}}));
  auto& details = s.steps.back().metrics.error_details;
  details.add(ErrorKind::http_4xx, 404, "HTTP 404: The model 'x' does not exist [model_not_found]");
  for (int i = 0; i < 5; ++i) details.add(ErrorKind::http_4xx, 401, "HTTP 401: Incorrect API key provided.");
  const auto found = first_unsuccessful_step(report_of({s}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(describe(*found),
            "llmbench run: step 'adhoc [1/1]' had no successful request of 6 (top error: http_4xx x6: 401 "
            "Incorrect API key provided.; 1 other message in the report)");

  // Without a status (a connect error), the message alone.
  result::ScenarioResult c{"adhoc", ExecutionModel::coroutine, Operation::invoke, LoadPattern::closed, {}, std::nullopt};
  c.steps.push_back(step_with(0, {{ErrorKind::connect, 2}}));
  c.steps.back().metrics.error_details.add(ErrorKind::connect, 0, "Failed to connect to 127.0.0.1 port 1");
  EXPECT_NE(
      describe(*first_unsuccessful_step(report_of({c}))).find("(top error: connect x2: Failed to connect"),
      std::string::npos);
}

}  // namespace
}  // namespace llmbench::load
