// API keys never reach reports, stdout or stderr; a wrong key is counted as http_4xx (401).
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKeyVar = "LLMBENCH_TEST_KEY";
constexpr const char* kSecret = "sk-test-SECRET123";
constexpr const char* kWrongVar = "LLMBENCH_TEST_WRONG_KEY";
constexpr const char* kWrongSecret = "sk-wrong-KEY999";

const std::vector<std::string> kAllFormats = {"--format", "json,csv,md,html,gbench"};

class SecretsTest : public CliTest {
 protected:
  // Asserts `secret` is in no file under `out` and in none of the process output.
  void expect_secret_absent(const fs::path& out, const ProcessResult& r, const std::string& secret) {
    EXPECT_FALSE(contains(r.out, secret)) << "secret on stdout:\n" << r.out;
    EXPECT_FALSE(contains(r.err, secret)) << "secret on stderr:\n" << r.err;
    const std::vector<fs::path> files = files_under(out);
    EXPECT_GE(files.size(), 5u) << "every format should have been written";
    for (const fs::path& file : files) {
      EXPECT_FALSE(contains(read_text(file), secret)) << "secret in " << file;
    }
  }

  // Starts `llmbench mock --port 0` requiring kSecret; returns its base URL.
  std::string start_mock(std::unique_ptr<ChildProcess>& mock) {
    mock = std::make_unique<ChildProcess>(
        std::vector<std::string>{bin(), "mock", "--port", "0", "--api-key-env", kKeyVar, "--ttft", "5ms", "--itl",
                                 "1ms", "--output-tokens", "4"},
        std::map<std::string, std::string>{{kKeyVar, kSecret}});
    const bool started = mock->read_until(
        [](const std::string& o, const std::string&) { return o.find('\n') != std::string::npos; }, 20s);
    if (!started) {
      ADD_FAILURE() << "mock printed no URL line:\n" << mock->out() << mock->err();
      return "";
    }
    const std::string line = mock->out().substr(0, mock->out().find('\n'));
    const auto at = line.find("http://");
    if (at == std::string::npos) {
      ADD_FAILURE() << "no URL in the mock's first line: " << line;
      return "";
    }
    return line.substr(at, line.find(' ', at) - at);
  }
};

TEST_F(SecretsTest, EmbeddedMockWithKeyNeverLeaksIt) {
  const fs::path out = path("out");
  const ProcessResult r = llmbench(
      concat(concat({"run", "--requests", "4", "--op", "stream", "--set",
                     std::string("target.mock.api_key_env=") + kKeyVar, "--out", out.string()},
                    fast_mock()),
             kAllFormats),
      {{kKeyVar, kSecret}});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  const boost::json::value report = parse_json_file(out / "report.json");
  EXPECT_EQ(count_field(report, "ok"), 4) << "the client must send the key the mock requires";
  EXPECT_TRUE(contains(read_text(out / "report.json"), kKeyVar)) << "the variable's name is recorded";
  expect_secret_absent(out, r, kSecret);
}

TEST_F(SecretsTest, UrlTargetWithRightAndWrongKeys) {
  std::unique_ptr<ChildProcess> mock;
  const std::string url = start_mock(mock);
  ASSERT_FALSE(url.empty());

  // Right key: every request succeeds, and the key is nowhere.
  const fs::path good = path("good");
  const ProcessResult ok = llmbench(concat({"run", "--target", url, "--model", "mock-model", "--op", "stream",
                                            "--requests", "4", "--api-key-env", kKeyVar, "--out", good.string()},
                                           kAllFormats),
                                    {{kKeyVar, kSecret}});
  EXPECT_EQ(ok.exit_code, 0) << ok.all();
  EXPECT_EQ(count_field(parse_json_file(good / "report.json"), "ok"), 4);
  expect_secret_absent(good, ok, kSecret);

  // Wrong key: 401 from the mock, counted as http_4xx; neither key leaks.
  const fs::path wrong = path("wrong");
  const ProcessResult bad = llmbench(concat({"run", "--target", url, "--model", "mock-model", "--requests", "4",
                                             "--api-key-env", kWrongVar, "--out", wrong.string()},
                                            kAllFormats),
                                     {{kWrongVar, kWrongSecret}, {kKeyVar, kSecret}});
  EXPECT_NE(bad.exit_code, 2) << bad.all();
  const boost::json::value report = parse_json_file(wrong / "report.json");
  EXPECT_EQ(error_count(report, "http_4xx"), 4);
  EXPECT_EQ(count_field(report, "ok"), 0);
  expect_secret_absent(wrong, bad, kWrongSecret);
  expect_secret_absent(wrong, bad, kSecret);

  // No key at all: also 401.
  const fs::path none = path("none");
  const ProcessResult anonymous =
      llmbench({"run", "--target", url, "--model", "mock-model", "--requests", "2", "--out", none.string()});
  EXPECT_EQ(error_count(parse_json_file(none / "report.json"), "http_4xx"), 2) << anonymous.all();

  mock->send_signal(SIGTERM);
  const ProcessResult mock_result = mock->wait(20s);
  EXPECT_EQ(mock_result.exit_code, 0) << mock_result.all();
  EXPECT_FALSE(contains(mock_result.all(), kSecret)) << mock_result.all();
  EXPECT_FALSE(contains(mock_result.all(), kWrongSecret)) << mock_result.all();
}

TEST_F(SecretsTest, UnsetKeyVariableIsAnInputErrorNamingTheVariableOnly) {
  const fs::path out = path("out");
  const ProcessResult r = llmbench(
      {"run", "--target", "http://127.0.0.1:9", "--model", "m", "--api-key-env", "LLMBENCH_TEST_UNSET_VAR", "--out",
       out.string()},
      {{"LLMBENCH_TEST_UNSET_VAR", ""}});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "LLMBENCH_TEST_UNSET_VAR")) << r.err;
  EXPECT_TRUE(files_under(out).empty());
}

}  // namespace
}  // namespace llmbench::clitest
