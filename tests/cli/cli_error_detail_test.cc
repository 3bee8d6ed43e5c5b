// Why requests failed, end to end: a wrong key (401), an unknown model (404) and a full
// endpoint URL given as --target each say what went wrong, in report.json, on the console,
// in report.md and in the run's stderr summary, never with the key.
#include <gtest/gtest.h>

#include <string>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

constexpr const char* kMockKeyVar = "LLMBENCH_TEST_MOCK_KEY";
constexpr const char* kMockKey = "right-key-for-the-mock";
constexpr const char* kClientKeyVar = "LLMBENCH_TEST_CLIENT_KEY";
constexpr const char* kClientKey = "sk-wrong-0123456789abcdef";

// The error_details entry of one kind in the first step of the first scenario.
boost::json::value details_of(const boost::json::value& report, const std::string& kind) {
  const auto& step = report.at("scenarios").at(0).at("steps").at(0);
  const auto* details = step.as_object().if_contains("error_details");
  if (details == nullptr || !details->as_object().contains(kind)) {
    ADD_FAILURE() << "no error_details." << kind << " in " << boost::json::serialize(step.at("counts"));
    return {};
  }
  return details->at(kind);
}

class ErrorDetailTest : public CliTest {};

TEST_F(ErrorDetailTest, WrongApiKeyIsReportedAs401WithTheServersMessage) {
  const fs::path out = path("out");
  const ProcessResult r = llmbench(
      concat({"run", "--requests", "6", "--set", std::string("target.mock.api_key_env=") + kMockKeyVar,
              "--api-key-env", kClientKeyVar, "--out", out.string(), "--format", "json,md"},
             fast_mock()),
      {{kMockKeyVar, kMockKey}, {kClientKeyVar, kClientKey}});
  EXPECT_EQ(r.exit_code, 1) << r.all();
  // The stderr summary names the status and the message, not only the kind.
  EXPECT_TRUE(contains(r.err, "(top error: http_4xx x6: 401 Incorrect API key provided. [invalid_api_key])"))
      << r.err;

  const boost::json::value report = parse_json_file(out / "report.json");
  const boost::json::value d = details_of(report, "http_4xx");
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d.at("http_statuses").at("401").to_number<int>(), 6);
  ASSERT_EQ(d.at("messages").as_array().size(), 1u);
  EXPECT_EQ(d.at("messages").at(0).at("text").as_string(), "Incorrect API key provided. [invalid_api_key]");
  EXPECT_EQ(d.at("messages").at(0).at("count").to_number<int>(), 6);

  // Console and Markdown show the same.
  EXPECT_TRUE(
      contains(r.out, "http_4xx x6 (HTTP 401 x6): \"Incorrect API key provided. [invalid_api_key]\" x6"))
      << r.out;
  EXPECT_TRUE(
      contains(read_text(out / "report.md"),
               "| step 1 | http_4xx | 6 | 401 x6 | \"Incorrect API key provided. [invalid_api_key]\" x6 |"))
      << read_text(out / "report.md");
  for (const std::string& text :
       {r.out, r.err, read_text(out / "report.json"), read_text(out / "report.md")}) {
    EXPECT_FALSE(contains(text, kClientKey));
    EXPECT_FALSE(contains(text, kMockKey));
  }
}

TEST_F(ErrorDetailTest, UnknownModelIsReportedAs404ModelNotFound) {
  const fs::path out = path("out");
  const ProcessResult r =
      llmbench(concat({"run", "--requests", "6", "--set", "target.mock.reject_unknown_models=true", "--model",
                       "no-such-model", "--out", out.string()},
                      fast_mock()));
  EXPECT_EQ(r.exit_code, 1) << r.all();
  EXPECT_TRUE(contains(r.err, "top error: http_4xx x6: 404 ")) << r.err;
  EXPECT_TRUE(contains(r.err, "[model_not_found]")) << r.err;
  const boost::json::value d = details_of(parse_json_file(out / "report.json"), "http_4xx");
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d.at("http_statuses").at("404").to_number<int>(), 6);
  const std::string text(d.at("messages").at(0).at("text").as_string());
  EXPECT_TRUE(contains(text, "no-such-model")) << text;
  EXPECT_TRUE(contains(text, "[model_not_found]")) << text;
}

TEST_F(ErrorDetailTest, FullEndpointUrlAsTargetIsRefusedBeforeMeasuring) {
  const fs::path out = path("out");
  // Nothing listens on port 1: had a request been sent, the run would report connect errors.
  for (const std::string& url : {std::string("http://127.0.0.1:1/v1/chat/completions"),
                                 std::string("http://127.0.0.1:1/v1/chat/completions/")}) {
    const ProcessResult r =
        llmbench({"run", "--target", url, "--model", "m", "--requests", "3", "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.all();
    EXPECT_TRUE(contains(r.err, "did you mean --target http://127.0.0.1:1/v1?")) << r.err;
    EXPECT_TRUE(contains(r.err, "target.url")) << r.err;
    EXPECT_TRUE(files_under(out).empty());
  }
  const ProcessResult ollama = llmbench({"run", "--target", "http://127.0.0.1:1/api/chat", "--api", "ollama",
                                         "--model", "m", "--requests", "3", "--out", out.string()});
  EXPECT_EQ(ollama.exit_code, 2) << ollama.all();
  EXPECT_TRUE(contains(ollama.err, "did you mean --target http://127.0.0.1:1?")) << ollama.err;
}

TEST_F(ErrorDetailTest, FullEndpointUrlInAScenarioFileNamesFileAndLine) {
  const fs::path suite = path("suite.toml");
  write_text(suite,
             "[suite]\nname = \"s\"\n\n[target]\nurl = \"http://127.0.0.1:1/v1/chat/completions\"\n"
             "model = \"m\"\n\n[[scenario]]\nname = \"a\"\nrequests = 2\n");
  const ProcessResult r = llmbench({"run", suite.string(), "--out", path("out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, suite.string() + ":5")) << r.err;
  EXPECT_TRUE(contains(r.err, "did you mean url = \"http://127.0.0.1:1/v1\"?")) << r.err;
}

}  // namespace
}  // namespace llmbench::clitest
