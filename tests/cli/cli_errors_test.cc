// cli/cli_errors: unknown flags and commands get "llmbench[ COMMAND]: error:" and a
// suggestion; numeric flags show their type in --help.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using CliErrorsTest = CliTest;

// The --help line that documents `flag` ("" when none does).
std::string help_line(const std::string& help, const std::string& flag) {
  std::istringstream lines(help);
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t at = line.find(flag);
    if (at == std::string::npos) continue;
    const std::size_t end = at + flag.size();
    if (end == line.size() || line[end] == ' ' || line[end] == ',') return line;
  }
  return "";
}

TEST_F(CliErrorsTest, MistypedFlagGetsPrefixAndSuggestion) {
  const ProcessResult r = llmbench({"run", "--concurency", "4"});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_EQ(r.err.rfind("llmbench run: error: ", 0), 0u) << r.err;
  EXPECT_TRUE(contains(r.err, "unknown flag --concurency (did you mean --concurrency?)")) << r.err;
  EXPECT_FALSE(contains(r.err, "The following argument")) << r.err;
  EXPECT_TRUE(contains(r.err, "llmbench run --help")) << r.err;
}

TEST_F(CliErrorsTest, SuggestionsFollowEachCommandsOwnFlags) {
  const ProcessResult mock = llmbench({"mock", "--prot", "0"});
  EXPECT_EQ(mock.exit_code, 2) << mock.all();
  EXPECT_TRUE(contains(mock.err, "llmbench mock: error: unknown flag --prot (did you mean --port?)"))
      << mock.err;
  // --flag=value: the flag is named without its value; transposed letters are one typo.
  const ProcessResult eq = llmbench({"run", "--reqeusts=5"});
  EXPECT_EQ(eq.exit_code, 2) << eq.all();
  EXPECT_TRUE(contains(eq.err, "unknown flag --reqeusts (did you mean --requests?)")) << eq.err;
  // Nothing close: no made-up suggestion.
  const ProcessResult far = llmbench({"run", "--zzzzzzzzzz"});
  EXPECT_EQ(far.exit_code, 2) << far.all();
  EXPECT_TRUE(contains(far.err, "llmbench run: error: unknown flag --zzzzzzzzzz")) << far.err;
  EXPECT_FALSE(contains(far.err, "did you mean")) << far.err;
}

TEST_F(CliErrorsTest, UnknownCommandGetsSuggestion) {
  const ProcessResult r = llmbench({"rnu", "--requests", "3"});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_EQ(r.err.rfind("llmbench: error: unknown command 'rnu' (did you mean 'run'?)", 0), 0u) << r.err;
  // The arguments after an unknown command are not reported one by one.
  EXPECT_FALSE(contains(r.err, "--requests")) << r.err;
  const ProcessResult far = llmbench({"benchmark"});
  EXPECT_EQ(far.exit_code, 2) << far.all();
  EXPECT_TRUE(contains(far.err, "llmbench: error: unknown command 'benchmark' (commands: ")) << far.err;
}

TEST_F(CliErrorsTest, TopLevelFlagBeforeACommandIsNamedAtTopLevel) {
  const ProcessResult r = llmbench({"--verison", "run"});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "llmbench: error: unknown flag --verison (did you mean --version?)")) << r.err;
}

TEST_F(CliErrorsTest, OtherParseErrorsGetThePrefix) {
  const std::string report = std::string(LLMBENCH_TEST_DATA_DIR) + "/reports/crafted.report.json";
  const ProcessResult r = llmbench({"compare", report, report, "--alpha", "often"});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_EQ(r.err.rfind("llmbench compare: error: ", 0), 0u) << r.err;
  EXPECT_TRUE(contains(r.err, "--alpha")) << r.err;
}

TEST_F(CliErrorsTest, NumericFlagsShowTheirTypeInHelp) {
  const ProcessResult run = llmbench({"run", "--help"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  const std::pair<const char*, const char*> run_types[] = {
      {"--concurrency", "INT"}, {"--requests", "INT"},        {"--duration", "DURATION"},
      {"--rate", "FLOAT"},      {"--threads", "INT"},         {"--max-tokens", "INT"},
      {"--batch-size", "INT"},  {"--warmup", "INT|DURATION"}, {"--mock-ttft", "DURATION"}};
  for (const auto& [flag, type] : run_types) {
    const std::string line = help_line(run.out, flag);
    EXPECT_TRUE(contains(line, type)) << flag << " should show " << type << ": '" << line << "'";
    EXPECT_FALSE(contains(line, "TEXT")) << flag << ": '" << line << "'";
  }
  const ProcessResult mock = llmbench({"mock", "--help"});
  ASSERT_EQ(mock.exit_code, 0) << mock.all();
  for (const char* flag :
       {"--port", "--seed", "--slots", "--rpm", "--ttft", "--idle-timeout", "--load-slowdown"}) {
    const std::string line = help_line(mock.out, flag);
    EXPECT_FALSE(line.empty()) << flag;
    EXPECT_FALSE(contains(line, "TEXT")) << flag << ": '" << line << "'";
  }
}

}  // namespace
}  // namespace llmbench::clitest
