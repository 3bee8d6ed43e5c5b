// gate, compare and merge on real runs: a baseline is never ignored, thresholds in a suite file
// are checked before anything runs, output paths are checked before judging, and merge refuses
// reports of different workloads or the same report twice.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

// Loose absolute thresholds that any run of this suite passes: only a baseline catches a slowdown.
constexpr const char* kSuite = R"([target.mock]
ttft = "5ms"
itl = "1ms"
output_tokens = 4
seed = 1

[[scenario]]
name = "threaded-stream"
mode = "threaded"
operation = "stream"
concurrency = 2
requests = 30
thresholds = ["p99_ttft_ms < 10000", "error_rate < 50%"]
)";

class GateMergeTest : public CliTest {
 protected:
  // Runs the suite (with `set` overrides) into `name`/; returns the report path.
  fs::path run_suite(const std::string& name, const std::vector<std::string>& set = {}) {
    write_text(path("suite.toml"), kSuite);
    std::vector<std::string> args = {"run", path("suite.toml").string(), "--out", path(name).string()};
    for (const std::string& s : set) args.insert(args.end(), {"--set", s});
    const ProcessResult r = llmbench(args);
    EXPECT_EQ(r.exit_code, 0) << r.all();
    return path(name) / "report.json";
  }

  fs::path run_adhoc(const std::string& name, const std::string& mode) {
    const ProcessResult r = llmbench(concat({"run", "--mode", mode, "--op", "stream", "--concurrency", "2",
                                             "--requests", "6", "--out", path(name).string()},
                                            fast_mock()));
    EXPECT_EQ(r.exit_code, 0) << r.all();
    return path(name) / "report.json";
  }
};

TEST_F(GateMergeTest, BaselineIsCheckedAsWellAsStoredThresholds) {
  const fs::path base = run_suite("base");
  const fs::path slow = run_suite("new", {"target.mock.ttft=30ms"});
  // The stored thresholds alone pass.
  const ProcessResult alone = llmbench({"gate", slow.string()});
  EXPECT_EQ(alone.exit_code, 0) << alone.all();

  const ProcessResult r = llmbench({"gate", "--baseline", base.string(), slow.string(), "--junit",
                                    path("gate.xml").string(), "--markdown", path("gate.md").string()});
  EXPECT_EQ(r.exit_code, 3) << r.all();
  EXPECT_TRUE(contains(r.out, "2 from scenario file " + path("suite.toml").string())) << r.out;
  EXPECT_TRUE(contains(r.out, "4 from baseline comparison with " + base.string() + " (default thresholds)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "FAIL  p99_ttft_ms <= +10%")) << r.out;
  EXPECT_TRUE(contains(r.out, "note: the baseline " + base.string() + " measured a different workload"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "target.mock.ttft")) << r.out;
  const std::string junit = read_text(path("gate.xml"));
  EXPECT_TRUE(contains(junit, "<testsuite name=\"llmbench gate: baseline comparison with")) << junit;
  EXPECT_TRUE(contains(junit, "<testsuite name=\"llmbench gate: scenario file")) << junit;
  const std::string markdown = read_text(path("gate.md"));
  EXPECT_TRUE(contains(markdown, "| from |")) << markdown;
  EXPECT_TRUE(contains(markdown, "- 4 from baseline comparison with")) << markdown;

  // The same workload against itself passes with both sets checked.
  const ProcessResult same = llmbench({"gate", "--baseline", base.string(), base.string()});
  EXPECT_EQ(same.exit_code, 0) << same.all();
  EXPECT_TRUE(contains(same.out, "gate: 6 checks")) << same.out;
  EXPECT_FALSE(contains(same.out, "different workload")) << same.out;
}

TEST_F(GateMergeTest, BadThresholdInSuiteFileExitsTwoBeforeRunning) {
  for (const std::string bad : {"p99_foo_ms < 5", "p99_ttft_ms <<< 5"}) {
    write_text(path("bad.toml"),
               std::string("[target.mock]\nttft = \"5ms\"\n\n[[scenario]]\nrequests = 5\n") +
                   "thresholds = [\"error_rate < 1%\", \"" + bad + "\"]\n");
    const ProcessResult r = llmbench({"run", path("bad.toml").string(), "--out", path("out").string()});
    EXPECT_EQ(r.exit_code, 2) << r.all();
    EXPECT_TRUE(contains(r.err, path("bad.toml").string() + ":6")) << r.err;
    EXPECT_TRUE(contains(r.err, "scenario.thresholds[1]")) << r.err;
    EXPECT_TRUE(contains(r.err, "'" + bad + "'")) << r.err;
    EXPECT_TRUE(files_under(path("out")).empty()) << "nothing may run or be written";
  }
}

TEST_F(GateMergeTest, UnwritableGateOutputExitsTwoBeforeJudging) {
  const fs::path report = run_adhoc("a", "threaded");
  write_text(path("plain-file"), "x");
  fs::create_directories(path("a-directory"));
  const std::vector<std::vector<std::string>> cases = {
      {"--junit", (path("plain-file") / "gate.xml").string()},
      {"--junit", path("a-directory").string()},
      {"--markdown", (path("plain-file") / "sub" / "gate.md").string()},
  };
  for (const auto& c : cases) {
    const ProcessResult r = llmbench({"gate", report.string(), "--threshold", "error_rate < 1%", c[0], c[1]});
    EXPECT_EQ(r.exit_code, 2) << c[1] << "\n" << r.all();
    EXPECT_TRUE(contains(r.err, c[0])) << r.err;
    EXPECT_TRUE(contains(r.err, c[1])) << r.err;
    EXPECT_FALSE(contains(r.out, "gate: passed")) << r.out;
  }
  // A missing directory is created, as for every report file.
  const ProcessResult ok = llmbench({"gate", report.string(), "--threshold", "error_rate < 1%", "--junit",
                                     (path("new-dir") / "gate.xml").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.all();
  EXPECT_TRUE(fs::exists(path("new-dir") / "gate.xml"));
}

TEST_F(GateMergeTest, MergeRefusesDuplicatesAndOtherWorkloads) {
  const fs::path a = run_adhoc("a", "threaded");
  const fs::path b = run_adhoc("b", "threaded");
  const fs::path c = run_adhoc("c", "coroutine");
  const fs::path out = path("merged.json");

  const ProcessResult twice =
      llmbench({"merge", a.string(), (path("a") / "." / "report.json").string(), "-o", out.string()});
  EXPECT_EQ(twice.exit_code, 2) << twice.all();
  EXPECT_TRUE(contains(twice.err, "is the same file as " + a.string())) << twice.err;

  fs::copy_file(a, path("copy.json"));
  const ProcessResult copy = llmbench({"merge", a.string(), path("copy.json").string(), "-o", out.string()});
  EXPECT_EQ(copy.exit_code, 2) << copy.all();
  EXPECT_TRUE(contains(copy.err, "is the same report as " + a.string())) << copy.err;

  const ProcessResult other = llmbench({"merge", a.string(), c.string(), "-o", out.string()});
  EXPECT_EQ(other.exit_code, 2) << other.all();
  EXPECT_TRUE(contains(other.err, c.string())) << other.err;
  EXPECT_TRUE(contains(other.err, "different workload than " + a.string())) << other.err;
  EXPECT_TRUE(contains(other.err, "scenarios[0].mode")) << other.err;
  EXPECT_FALSE(fs::exists(out));

  const ProcessResult good = llmbench({"merge", a.string(), b.string(), "-o", out.string()});
  EXPECT_EQ(good.exit_code, 0) << good.all();
  const boost::json::value merged = parse_json_file(out);
  EXPECT_EQ(merged.at("config_hash"), parse_json_file(a).at("config_hash"));
  EXPECT_TRUE(merged.at("interrupted_inputs").as_array().empty());
}

TEST_F(GateMergeTest, MergeMarksInterruptedInputs) {
  const fs::path a = run_adhoc("a", "threaded");
  const fs::path b = run_adhoc("b", "threaded");
  // An interrupted run of the same workload, as Ctrl-C leaves it.
  boost::json::value partial = parse_json_file(b);
  partial.as_object()["interrupted"] = true;
  write_text(path("partial.json"), boost::json::serialize(partial));
  const fs::path out = path("merged.json");
  const ProcessResult r = llmbench({"merge", a.string(), path("partial.json").string(), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_TRUE(contains(r.err, "partial results: " + path("partial.json").string() + " was interrupted"))
      << r.err;
  const boost::json::value merged = parse_json_file(out);
  EXPECT_TRUE(merged.at("interrupted").as_bool());
  ASSERT_EQ(merged.at("interrupted_inputs").as_array().size(), 1u);
  const ProcessResult shown = llmbench({"report", out.string()});
  EXPECT_TRUE(contains(shown.out, "interrupted: partial results")) << shown.out;
}

TEST_F(GateMergeTest, CompareWarnsAboutDifferentWorkloads) {
  const fs::path a = run_adhoc("a", "threaded");
  const fs::path b = run_adhoc("b", "threaded");
  const fs::path c = run_adhoc("c", "coroutine");
  const ProcessResult same = llmbench({"compare", a.string(), b.string()});
  EXPECT_EQ(same.exit_code, 0) << same.all();
  EXPECT_FALSE(contains(same.all(), "different workloads")) << same.all();
  const ProcessResult other =
      llmbench({"compare", a.string(), c.string(), "--markdown", path("cmp.md").string()});
  EXPECT_EQ(other.exit_code, 0) << other.all();
  EXPECT_TRUE(contains(other.err, "warning: the reports measured different workloads")) << other.err;
  EXPECT_TRUE(contains(other.out, "WARNING: the reports measured different workloads")) << other.out;
  EXPECT_TRUE(contains(other.out, "scenarios[0].mode: \"threaded\" vs \"coroutine\"")) << other.out;
  EXPECT_TRUE(contains(read_text(path("cmp.md")), "> **Warning:** the reports measured different workloads"));
}

}  // namespace
}  // namespace llmbench::clitest

namespace llmbench::clitest {
namespace {

// compare takes several current runs: one verdict table per run against the baseline, in
// stdout, Markdown and one HTML page that overlays every run on the same charts.
TEST_F(GateMergeTest, CompareSeveralRunsSideBySideInTextMarkdownAndHtml) {
  const fs::path a = run_adhoc("a", "threaded");
  const fs::path b = run_adhoc("b", "threaded");
  const fs::path c = run_adhoc("c", "coroutine");
  const ProcessResult r = llmbench({"compare", a.string(), b.string(), c.string(), "--markdown",
                                    path("cmp.md").string(), "--html", path("cmp.html").string()});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  EXPECT_TRUE(contains(r.out, b.string() + " against " + a.string() + ":")) << r.out;
  EXPECT_TRUE(contains(r.out, c.string() + " against " + a.string() + ":")) << r.out;
  EXPECT_TRUE(contains(read_text(path("cmp.md")), "### " + c.string() + " against " + a.string()));
  const std::string html = read_text(path("cmp.html"));
  EXPECT_TRUE(contains(html, "<table class=\"comparison\">")) << html.substr(0, 400);
  EXPECT_TRUE(contains(html, "<p class=\"warning\">Warning: the reports measured different workloads"));
  // The three runs' scenarios are series of one chart.
  const std::size_t chart = html.find("aria-label=\"Requests per second");
  ASSERT_NE(chart, std::string::npos);
  const std::string svg = html.substr(chart, html.find("</svg>", chart) - chart);
  for (const fs::path& run : {a, b, c}) EXPECT_TRUE(contains(svg, run.string() + ": ")) << run;
  // A missing input is found before anything is written.
  const ProcessResult missing = llmbench({"compare", a.string(), b.string(), path("nope.json").string(),
                                          "--html", path("never.html").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.all();
  EXPECT_FALSE(fs::exists(path("never.html")));
}

}  // namespace
}  // namespace llmbench::clitest
