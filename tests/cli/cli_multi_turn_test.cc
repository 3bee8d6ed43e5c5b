// The shipped multi-turn suite (scenarios/multi-turn.toml), shortened, run end to end by the
// binary: report.json carries each step's sessions, and the Markdown report the per-turn table
// with prompt tokens growing turn by turn (docs/scenarios.md, "Multi-turn sessions").
#include <gtest/gtest.h>

#include <string>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

class MultiTurnTest : public CliTest {};

TEST_F(MultiTurnTest, ShippedSuiteReportsSessionsAndPerTurnFigures) {
  const fs::path out = path("out");
  const ProcessResult r = llmbench({"run", std::string(LLMBENCH_SOURCE_DIR) + "/scenarios/multi-turn.toml", "--set",
                                    "scenario.requests=4", "--set", "scenario.duration=1s", "--set",
                                    "scenario.warmup=0", "--set", "target.metrics_url=off", "--format", "json,md",
                                    "--out", out.string(), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  const boost::json::value report = parse_json_file(out / "report.json");
  const auto& scenarios = report.at("scenarios").as_array();
  ASSERT_EQ(scenarios.size(), 2u);
  const auto& closed = scenarios[0].at("steps").at(0).at("sessions").as_object();
  EXPECT_EQ(closed.at("started").as_int64(), 4);
  EXPECT_EQ(closed.at("completed").as_int64(), 4);
  EXPECT_EQ(closed.at("turns").as_int64(), 16);
  const auto& turns = closed.at("per_turn").as_array();
  ASSERT_EQ(turns.size(), 4u);
  std::int64_t previous = 0;
  for (const auto& turn : turns) {
    const std::int64_t tokens = turn.at("prompt_tokens").as_int64();
    EXPECT_GT(tokens, previous);  // the history grows
    previous = tokens;
  }
  EXPECT_TRUE(scenarios[1].at("steps").at(0).as_object().contains("sessions"));
  const std::string md = read_text(out / "report.md");
  EXPECT_TRUE(contains(md, "Per turn (each turn sends the history so far)")) << md;
  EXPECT_TRUE(contains(md, "| mean prompt tokens |")) << md;
}

}  // namespace
}  // namespace llmbench::clitest
