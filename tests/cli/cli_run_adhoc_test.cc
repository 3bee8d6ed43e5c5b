// `llmbench run` in its ad-hoc form: every mode × operation against the embedded mock, report
// re-rendering, bad flag values, and the max-error stop.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using ModeOp = std::tuple<std::string, std::string>;

class RunModeOpTest : public CliTest, public ::testing::WithParamInterface<ModeOp> {};

TEST_P(RunModeOpTest, SmallRunWritesAReportThatReRenders) {
  const auto& [mode, op] = GetParam();
  const fs::path out = path("run");
  // Sync runs one request at a time; batch rounds requests up to whole batch_size calls.
  const std::string concurrency = mode == "sync" ? "1" : "2";
  const ProcessResult r = llmbench(concat({"run", "--mode", mode, "--op", op, "--concurrency", concurrency,
                                           "--requests", "8", "--batch-size", "4", "--out", out.string()},
                                          fast_mock()));
  ASSERT_EQ(r.exit_code, 0) << r.all();
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();

  const boost::json::value report = parse_json_file(out / "report.json");
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report.at("interrupted").as_bool(), false);
  const auto& scenario = report.at("scenarios").at(0);
  EXPECT_EQ(scenario.at("mode").as_string(), mode);
  EXPECT_EQ(scenario.at("operation").as_string(), op);
  EXPECT_EQ(count_field(report, "ok"), 8);
  EXPECT_EQ(count_field(report, "failed"), 0);

  const fs::path rendered = path("rendered");
  const ProcessResult again = llmbench(
      {"report", (out / "report.json").string(), "--format", "csv,md,html", "--out", rendered.string()});
  ASSERT_EQ(again.exit_code, 0) << again.all();
  for (const char* file : {"report.csv", "report.md", "report.html"}) {
    ASSERT_TRUE(fs::exists(rendered / file)) << file << " missing; " << again.all();
    EXPECT_GT(fs::file_size(rendered / file), 0u) << file;
  }
  EXPECT_TRUE(contains(read_text(rendered / "report.csv"), "adhoc")) << "the CSV should name the scenario";
  EXPECT_TRUE(contains(read_text(rendered / "report.html"), "</html>"));

  // Without --format, report prints the console table.
  const ProcessResult console = llmbench({"report", (out / "report.json").string()});
  EXPECT_EQ(console.exit_code, 0) << console.all();
  EXPECT_TRUE(contains(console.out, "adhoc")) << console.out;
}

INSTANTIATE_TEST_SUITE_P(AllModesAndOps, RunModeOpTest,
                         ::testing::Combine(::testing::Values("sync", "threaded", "coroutine"),
                                            ::testing::Values("invoke", "stream", "batch")),
                         [](const ::testing::TestParamInfo<ModeOp>& p) {
                           return std::get<0>(p.param) + "_" + std::get<1>(p.param);
                         });

struct BadFlagCase {
  std::string name;
  std::vector<std::string> args;
  std::vector<std::string> expected_in_stderr;
};

void PrintTo(const BadFlagCase& c, std::ostream* os) { *os << c.name; }

class RunBadFlagTest : public CliTest, public ::testing::WithParamInterface<BadFlagCase> {};

TEST_P(RunBadFlagTest, ExitsTwoNamingTheFlagAndWritesNothing) {
  const BadFlagCase& c = GetParam();
  const fs::path out = path("out");
  std::vector<std::string> args = {"run", "--requests", "4", "--out", out.string()};
  args = concat(concat(args, fast_mock()), c.args);
  const ProcessResult r = llmbench(args);
  EXPECT_EQ(r.exit_code, 2) << r.all();
  for (const std::string& text : c.expected_in_stderr) {
    EXPECT_TRUE(contains(r.err, text)) << "stderr should name '" << text << "':\n" << r.err;
  }
  EXPECT_TRUE(files_under(out).empty()) << "a rejected run must write nothing";
  EXPECT_FALSE(contains(r.out, "Reports written")) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    AdHoc, RunBadFlagTest,
    ::testing::Values(BadFlagCase{"zero_concurrency", {"--concurrency", "0"}, {"--concurrency", "at least 1"}},
                      BadFlagCase{"negative_requests", {"--requests", "-1"}, {"--requests"}},
                      BadFlagCase{"bogus_mode", {"--mode", "bogus"}, {"--mode", "bogus"}},
                      BadFlagCase{"bogus_op", {"--op", "frobnicate"}, {"--op", "frobnicate"}},
                      BadFlagCase{"sync_with_concurrency", {"--mode", "sync", "--concurrency", "4"},
                                  {"--concurrency", "sync"}},
                      BadFlagCase{"unknown_fault_kind", {"--mock-fault", "nonsense=2"}, {"nonsense"}},
                      BadFlagCase{"fault_without_rate", {"--mock-fault", "500"}, {"--mock-fault", "500"}},
                      BadFlagCase{"fault_rate_above_one", {"--mock-fault", "500=2"}, {"500"}},
                      BadFlagCase{"bare_number_ttft", {"--mock-ttft", "50"}, {"ttft"}},
                      BadFlagCase{"bad_format", {"--format", "pdf"}, {"--format", "pdf"}}),
    [](const ::testing::TestParamInfo<BadFlagCase>& p) { return p.param.name; });

TEST_F(CliTest, MaxErrorsStopsTheRunWithExitOneAndAReport) {
  const fs::path out = path("out");
  const ProcessResult r =
      llmbench(concat({"run", "--requests", "50", "--mock-fault", "500=1", "--set", "scenario.max_errors=3", "--out",
                       out.string()},
                      fast_mock()));
  EXPECT_EQ(r.exit_code, 1) << r.all();
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  const boost::json::value report = parse_json_file(out / "report.json");
  EXPECT_GE(error_count(report, "http_5xx"), 3);
  EXPECT_LT(count_field(report, "total"), 50) << "the run should stop early";
  EXPECT_EQ(count_field(report, "ok"), 0);
  EXPECT_EQ(report.at("scenarios").at(0).at("steps").at(0).at("stop_reason").as_string(), "max_errors");
}

}  // namespace
}  // namespace llmbench::clitest
