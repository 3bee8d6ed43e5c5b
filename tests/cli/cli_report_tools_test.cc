// report / compare / gate / merge on the crafted report and on variants made in the temp dir.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

const fs::path kCrafted = fs::path(LLMBENCH_TEST_DATA_DIR) / "reports" / "crafted.report.json";

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "crafted report lacks '" << from << "'";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// One kind of bad report file, written into the test's directory.
struct BadReport {
  std::string name;
  std::function<std::string(const std::string& crafted)> make;
  std::string expected;  // in stderr besides the file name
};

const std::vector<BadReport>& bad_reports() {
  static const std::vector<BadReport> all = {
      {"truncated", [](const std::string& t) { return t.substr(0, t.size() / 2); }, "truncated"},
      {"corrupt", [](const std::string&) { return std::string("{\"schema_version\": 1, garbage"); }, "report"},
      {"empty", [](const std::string&) { return std::string(); }, "report"},
      {"wrong_version",
       [](const std::string& t) { return replace_once(t, "\"schema_version\": 1", "\"schema_version\": 99"); },
       "schema_version"},
      {"wrong_type", [](const std::string& t) { return replace_once(t, "\"ok\": 120", "\"ok\": \"many\""); }, "ok"},
      {"not_an_object", [](const std::string&) { return std::string("[1, 2, 3]"); }, "report"},
  };
  return all;
}

using BadInputCase = std::tuple<std::string, std::size_t>;  // command, index into bad_reports()

class BadReportInputTest : public CliTest, public ::testing::WithParamInterface<BadInputCase> {};

TEST_P(BadReportInputTest, ExitsTwoNamingTheFile) {
  const auto& [command, index] = GetParam();
  const BadReport& bad = bad_reports().at(index);
  const fs::path file = path("broken-" + bad.name + ".json");
  write_text(file, bad.make(read_text(kCrafted)));
  std::vector<std::string> args;
  if (command == "report") args = {"report", file.string(), "--format", "md", "--out", path("out").string()};
  if (command == "compare") args = {"compare", kCrafted.string(), file.string()};
  if (command == "gate") args = {"gate", file.string(), "--threshold", "p99_ttft_ms < 1000"};
  if (command == "gate-baseline") args = {"gate", "--baseline", file.string(), kCrafted.string()};
  if (command == "merge") args = {"merge", kCrafted.string(), file.string(), "-o", path("merged.json").string()};
  const ProcessResult r = llmbench(args);
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, file.filename().string())) << "stderr should name the file:\n" << r.err;
  EXPECT_TRUE(contains(r.err, bad.expected)) << "stderr should say '" << bad.expected << "':\n" << r.err;
  EXPECT_FALSE(fs::exists(path("merged.json")));
  EXPECT_TRUE(files_under(path("out")).empty());
}

INSTANTIATE_TEST_SUITE_P(AllCommands, BadReportInputTest,
                         ::testing::Combine(::testing::Values("report", "compare", "gate", "gate-baseline", "merge"),
                                            ::testing::Range<std::size_t>(0, 6)),
                         [](const ::testing::TestParamInfo<BadInputCase>& p) {
                           std::string name = std::get<0>(p.param) + "_" +
                                              bad_reports().at(std::get<1>(p.param)).name;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

using ReportToolsTest = CliTest;

TEST_F(ReportToolsTest, MissingReportFileExitsTwoNamingIt) {
  const std::string missing = path("nothere.json").string();
  const std::vector<std::vector<std::string>> commands = {
      {"report", missing}, {"gate", missing, "--threshold", "p99_ttft_ms < 1"}, {"compare", kCrafted.string(), missing},
      {"merge", kCrafted.string(), missing, "-o", path("m.json").string()}};
  for (const std::vector<std::string>& command : commands) {
    const ProcessResult r = llmbench(command);
    EXPECT_EQ(r.exit_code, 2) << command[0] << ": " << r.all();
    EXPECT_TRUE(contains(r.err, "nothere.json")) << command[0] << ": " << r.err;
  }
}

TEST_F(ReportToolsTest, GatePassWritesJUnitAndMarkdown) {
  const ProcessResult r = llmbench({"gate", kCrafted.string(), "--threshold", "p99_ttft_ms < 100000", "--threshold",
                                    "error_rate < 50%", "--junit", path("gate.xml").string(), "--markdown",
                                    path("gate.md").string()});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  const std::string junit = read_text(path("gate.xml"));
  EXPECT_TRUE(contains(junit, "<testsuites")) << junit;
  EXPECT_TRUE(contains(junit, "failures=\"0\"")) << junit;
  EXPECT_FALSE(contains(junit, "<failure")) << junit;
  const std::string markdown = read_text(path("gate.md"));
  EXPECT_TRUE(contains(markdown, "p99_ttft_ms")) << markdown;
  EXPECT_FALSE(contains(markdown, "FAIL")) << markdown;
}

TEST_F(ReportToolsTest, GateFailExitsThreeAndWritesJUnitAndMarkdown) {
  const ProcessResult r = llmbench({"gate", kCrafted.string(), "--threshold", "p99_ttft_ms < 1", "--junit",
                                    path("gate.xml").string(), "--markdown", path("gate.md").string()});
  EXPECT_EQ(r.exit_code, 3) << r.all();
  const std::string junit = read_text(path("gate.xml"));
  EXPECT_TRUE(contains(junit, "<failure")) << junit;
  EXPECT_FALSE(contains(junit, "failures=\"0\"")) << junit;
  const std::string markdown = read_text(path("gate.md"));
  EXPECT_TRUE(contains(markdown, "FAIL")) << markdown;
  EXPECT_TRUE(contains(markdown, "p99_ttft_ms &lt; 1") || contains(markdown, "p99_ttft_ms < 1")) << markdown;
}

TEST_F(ReportToolsTest, GateAgainstItselfAsBaselinePassesWithDefaults) {
  const ProcessResult r = llmbench({"gate", "--baseline", kCrafted.string(), kCrafted.string()});
  // The crafted report has 4% errors, above the default error_rate < 1%: that check must fail.
  EXPECT_EQ(r.exit_code, 3) << r.all();
  EXPECT_TRUE(contains(r.out, "error_rate")) << r.out;
  const ProcessResult relative =
      llmbench({"gate", "--baseline", kCrafted.string(), kCrafted.string(), "--threshold", "throughput >= -5%"});
  EXPECT_EQ(relative.exit_code, 0) << relative.all();
}

TEST_F(ReportToolsTest, GateUsageErrorsExitTwo) {
  const ProcessResult no_thresholds = llmbench({"gate", kCrafted.string()});
  EXPECT_EQ(no_thresholds.exit_code, 2) << no_thresholds.all();
  EXPECT_TRUE(contains(no_thresholds.err, "threshold")) << no_thresholds.err;

  const ProcessResult bad_expression = llmbench({"gate", kCrafted.string(), "--threshold", "p99_ttft_ms ~ fast"});
  EXPECT_EQ(bad_expression.exit_code, 2) << bad_expression.all();
  EXPECT_TRUE(contains(bad_expression.err, "p99_ttft_ms ~ fast")) << bad_expression.err;

  const ProcessResult unknown_metric = llmbench({"gate", kCrafted.string(), "--threshold", "p99_bogus_ms < 10"});
  EXPECT_EQ(unknown_metric.exit_code, 2) << unknown_metric.all();
  EXPECT_TRUE(contains(unknown_metric.err, "p99_bogus_ms")) << unknown_metric.err;

  const ProcessResult relative_without_baseline =
      llmbench({"gate", kCrafted.string(), "--threshold", "throughput >= -5%"});
  EXPECT_EQ(relative_without_baseline.exit_code, 2) << relative_without_baseline.all();
  EXPECT_TRUE(contains(relative_without_baseline.err, "baseline")) << relative_without_baseline.err;
}

TEST_F(ReportToolsTest, CompareSameIsSameAndSlowerIsWorse) {
  const ProcessResult same = llmbench({"compare", kCrafted.string(), kCrafted.string(), "--markdown",
                                       path("cmp.md").string()});
  EXPECT_EQ(same.exit_code, 0) << same.all();
  EXPECT_TRUE(contains(same.out, "same")) << same.out;
  EXPECT_FALSE(contains(same.out, "worse")) << same.out;
  EXPECT_TRUE(contains(read_text(path("cmp.md")), "| ")) << "a Markdown table";

  // The first step took twice as long for the same requests: its throughput halves.
  const fs::path slower = path("slower.json");
  write_text(slower, replace_once(read_text(kCrafted), "\"duration_s\": 3.538883420799999E1",
                                  "\"duration_s\": 7.077766841599998E1"));
  const ProcessResult worse = llmbench({"compare", kCrafted.string(), slower.string(), "--metric", "requests_per_s"});
  EXPECT_EQ(worse.exit_code, 0) << worse.all();
  EXPECT_TRUE(contains(worse.out, "worse")) << worse.out;
  EXPECT_TRUE(contains(worse.out, "-50.0%")) << worse.out;
}

TEST_F(ReportToolsTest, MergeOfTwoRunsThenReport) {
  // Two real runs of the same ad-hoc suite, merged: counts add up, and the result re-renders.
  for (const char* name : {"a", "b"}) {
    const ProcessResult r = llmbench(concat(
        {"run", "--mode", "threaded", "--op", "stream", "--concurrency", "2", "--requests", "6", "--out",
         path(name).string()},
        fast_mock()));
    ASSERT_EQ(r.exit_code, 0) << r.all();
  }
  const fs::path merged = path("merged.json");
  const ProcessResult m = llmbench({"merge", (path("a") / "report.json").string(),
                                    (path("b") / "report.json").string(), "-o", merged.string()});
  ASSERT_EQ(m.exit_code, 0) << m.all();
  const boost::json::value report = parse_json_file(merged);
  EXPECT_EQ(count_field(report, "ok"), 12);
  EXPECT_EQ(report.at("merged_from").as_array().size(), 2u);

  const ProcessResult rendered =
      llmbench({"report", merged.string(), "--format", "csv,md,html", "--out", path("rendered").string()});
  EXPECT_EQ(rendered.exit_code, 0) << rendered.all();
  for (const char* file : {"report.csv", "report.md", "report.html"}) {
    EXPECT_TRUE(fs::exists(path("rendered") / file)) << file;
  }
  const ProcessResult gate = llmbench({"gate", merged.string(), "--threshold", "error_rate < 1%"});
  EXPECT_EQ(gate.exit_code, 0) << gate.all();
}

TEST_F(ReportToolsTest, MergeOfTheCraftedReportWithItselfIsRefused) {
  // Merging a report with itself would count every request twice (cli_gate_merge_test.cc has more).
  const fs::path merged = path("merged.json");
  const ProcessResult m = llmbench({"merge", kCrafted.string(), kCrafted.string(), "-o", merged.string()});
  EXPECT_EQ(m.exit_code, 2) << m.all();
  EXPECT_TRUE(contains(m.err, "is the same file as")) << m.err;
  EXPECT_FALSE(fs::exists(merged));
}

TEST_F(ReportToolsTest, MergeNeedsTwoReports) {
  const ProcessResult r = llmbench({"merge", kCrafted.string(), "-o", path("m.json").string()});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_FALSE(fs::exists(path("m.json")));
}

}  // namespace
}  // namespace llmbench::clitest
