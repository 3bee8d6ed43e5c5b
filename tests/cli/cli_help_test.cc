// --help, --version and unknown flags of the binary and every subcommand.
#include <gtest/gtest.h>

#include <cctype>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using CliHelpTest = CliTest;

TEST_F(CliHelpTest, TopLevelHelpListsEverySubcommandAndExitCodes) {
  const ProcessResult r = llmbench({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  for (const char* command : {"mock", "run", "report", "compare", "gate", "merge"}) {
    EXPECT_TRUE(contains(r.out, command)) << "missing subcommand " << command << " in\n" << r.out;
  }
  EXPECT_TRUE(contains(r.out, "130")) << "the exit codes should be listed:\n" << r.out;
}

struct HelpCase {
  std::string command;
  std::vector<std::string> flags;
};

void PrintTo(const HelpCase& c, std::ostream* os) { *os << c.command; }

class SubcommandHelpTest : public CliTest, public ::testing::WithParamInterface<HelpCase> {};

TEST_P(SubcommandHelpTest, ExitsZeroAndNamesKeyFlags) {
  const HelpCase& c = GetParam();
  const ProcessResult r = llmbench({c.command, "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  for (const std::string& flag : c.flags) {
    EXPECT_TRUE(contains(r.out, flag)) << c.command << " --help does not mention " << flag << ":\n" << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllCommands, SubcommandHelpTest,
    ::testing::Values(
        HelpCase{"mock", {"--host", "--port", "--engine", "--ttft", "--itl", "--output-tokens", "--seed", "--fault",
                          "--config", "--api-key-env"}},
        HelpCase{"run", {"--mode", "--op", "--concurrency", "--requests", "--duration", "--rate", "--target",
                         "--out", "--format", "--set", "--mock-ttft", "--mock-itl", "--mock-output-tokens",
                         "--mock-fault", "--api-key-env"}},
        HelpCase{"report", {"REPORT", "--format", "--out", "--summary"}},
        HelpCase{"compare", {"BASE", "CURRENT", "--metric", "--alpha"}},
        HelpCase{"gate", {"CURRENT", "--baseline", "--threshold", "--junit", "--markdown"}},
        HelpCase{"merge", {"REPORTS", "--output"}}),
    [](const ::testing::TestParamInfo<HelpCase>& p) { return p.param.command; });

TEST_F(CliHelpTest, VersionPrintsTheVersion) {
  const ProcessResult r = llmbench({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_TRUE(contains(r.out, "llmbench ")) << r.out;
  // A version number: at least "digit.digit".
  bool has_version = false;
  for (std::size_t i = 0; i + 2 < r.out.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(r.out[i])) && r.out[i + 1] == '.' &&
        std::isdigit(static_cast<unsigned char>(r.out[i + 2]))) {
      has_version = true;
    }
  }
  EXPECT_TRUE(has_version) << r.out;
}

TEST_F(CliHelpTest, UnknownTopLevelFlagExitsTwoNamingIt) {
  const ProcessResult r = llmbench({"--no-such-flag", "mock"});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "--no-such-flag")) << r.err;
  // Alone, CLI11 reports the missing subcommand first (and does not name the flag): still exit 2.
  const ProcessResult alone = llmbench({"--no-such-flag"});
  EXPECT_EQ(alone.exit_code, 2) << alone.all();
}

TEST_F(CliHelpTest, UnknownSubcommandFlagExitsTwoNamingIt) {
  // Required positionals are given, so the unknown flag is the only problem left to report.
  const std::string report = std::string(LLMBENCH_TEST_DATA_DIR) + "/reports/crafted.report.json";
  const std::vector<std::vector<std::string>> commands = {
      {"mock"}, {"run"}, {"report", report}, {"compare", report, report}, {"gate", report},
      {"merge", report, report, "-o", path("merged.json").string()}};
  for (const std::vector<std::string>& command : commands) {
    const ProcessResult r = llmbench(concat(command, {"--bogus-option-xyz"}));
    EXPECT_EQ(r.exit_code, 2) << command[0] << ": " << r.all();
    EXPECT_TRUE(contains(r.err, "--bogus-option-xyz")) << command[0] << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(path("merged.json")));
}

TEST_F(CliHelpTest, NoCommandPrintsAFiveLineQuickStartAndIsAUsageError) {
  const ProcessResult r = llmbench({});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  std::size_t lines = 0;
  for (char c : r.err) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 5u) << "a quick start, not the whole option list:\n" << r.err;
  for (const char* step : {"make demo", "llmbench run --help", "llmbench --help", "docs/quickstart.md"}) {
    EXPECT_TRUE(contains(r.err, step)) << "missing '" << step << "' in\n" << r.err;
  }
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(CliHelpTest, ReportSummarySaysWhatTheRunFoundInWords) {
  const std::string report = std::string(LLMBENCH_TEST_DATA_DIR) + "/reports/crafted.report.json";
  const ProcessResult r = llmbench({"report", report, "--summary"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_TRUE(contains(r.out, "What it found")) << r.out;
  EXPECT_TRUE(contains(r.out, "  stream: ")) << r.out;
  EXPECT_TRUE(contains(r.out, "What this means for your code")) << r.out;
  // --summary prints; --format and --out write files: asking for both is a usage error.
  const ProcessResult both = llmbench({"report", report, "--summary", "--format", "md", "--out", path("x").string()});
  EXPECT_EQ(both.exit_code, 2) << both.all();
  EXPECT_FALSE(fs::exists(path("x")));
}

}  // namespace
}  // namespace llmbench::clitest
