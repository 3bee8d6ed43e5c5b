// The three further API flavours (openai_completions, anthropic_messages, openai_responses)
// end to end against the embedded mock, in every execution model: stream and invoke measure
// TTFT, time to first output, every token, reasoning tokens and usage as for chat completions;
// the mock's faults reach the harness as the same error kinds in each API's own error shape.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <tuple>

#include "harness/client/api_flavor.h"
#include "harness/client/client.h"
#include "mock_provider/mock_server.h"
#include "tests/support/every_execution_model.h"

namespace llmbench::harness {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kReasoning = 3;
constexpr std::uint32_t kAnswer = 8;

using Param = std::tuple<ExecutionModel, ApiFlavor>;

// Legacy completions have no reasoning phase in the mock (chat-style APIs only).
std::uint32_t reasoning_for(ApiFlavor flavor) { return flavor == ApiFlavor::openai_completions ? 0 : kReasoning; }

ChatRequest make_request(std::vector<std::pair<std::string, std::string>> headers = {}) {
  ChatRequest request;
  request.messages = {{"system", "Be brief."}, {"user", "Tell me about load testing."}};
  request.headers = std::move(headers);
  return request;
}

long words(const std::string& text) { return text.empty() ? 0 : std::count(text.begin(), text.end(), ' ') + 1; }

class MoreApis : public ::testing::TestWithParam<Param> {
 protected:
  static void SetUpTestSuite() {
    auto config = mock::MockConfig::fixed_latency(20ms, 5ms, kAnswer);
    config.port = 0;
    config.seed = 99;
    config.reasoning_tokens = Distribution::fixed(kReasoning);
    config.stall_timeout = 20s;
    server_ = std::make_unique<mock::MockServer>(config);
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }

  ApiFlavor flavor() const { return std::get<1>(GetParam()); }
  Endpoint endpoint() const {
    Endpoint e;
    e.base_url = server_->base_url();
    e.flavor = flavor();
    e.timeouts.connect = 2s;
    e.timeouts.first_token = 5s;
    e.timeouts.total = 20s;
    return e;
  }
  std::unique_ptr<Client> client(const Endpoint& e) const { return make_client(std::get<0>(GetParam()), e, 2); }

  static std::unique_ptr<mock::MockServer> server_;
};

std::unique_ptr<mock::MockServer> MoreApis::server_;

class TextObserver : public StreamObserver {
 public:
  void on_token(std::string_view content, std::int64_t) override { text.append(content); }
  std::string text;
};

TEST_P(MoreApis, StreamTimesEveryTokenAndReadsTheUsage) {
  auto c = client(endpoint());
  TextObserver observer;
  const auto result = c->stream(make_request(), observer);
  const RequestRecord& r = result.record;
  ASSERT_TRUE(r.ok()) << r.error_message;
  const std::uint32_t reasoning = reasoning_for(flavor());
  // One arrival per generated token, reasoning first: TTFT at the first of any kind, the time
  // to first output at the answer's first.
  ASSERT_EQ(r.token_ns.size(), reasoning + kAnswer);
  EXPECT_EQ(r.token_ns.front(), r.first_token_ns);
  EXPECT_EQ(r.token_ns[reasoning], r.first_output_ns);
  EXPECT_TRUE(std::is_sorted(r.token_ns.begin(), r.token_ns.end()));
  // Distinct arrivals: the mock sends each token 5 ms after the previous one.
  EXPECT_EQ(std::adjacent_find(r.token_ns.begin(), r.token_ns.end()), r.token_ns.end());
  EXPECT_TRUE(r.usage_reported);
  EXPECT_EQ(r.output_tokens, reasoning + kAnswer);
  EXPECT_GT(r.prompt_tokens, 0u);
  EXPECT_EQ(r.reasoning_tokens, reasoning);
  EXPECT_EQ(words(result.text), kAnswer) << result.text;
  EXPECT_EQ(observer.text, result.text);
  EXPECT_FALSE(r.finish_reason.empty());
}

TEST_P(MoreApis, InvokeReadsTheWholeReply) {
  auto c = client(endpoint());
  const auto result = c->invoke(make_request());
  const RequestRecord& r = result.record;
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(words(result.text), kAnswer) << result.text;
  EXPECT_TRUE(r.usage_reported);
  EXPECT_EQ(r.output_tokens, reasoning_for(flavor()) + kAnswer);
  EXPECT_GT(r.prompt_tokens, 0u);
  EXPECT_GT(r.first_token_ns, r.start_ns);
  if (flavor() == ApiFlavor::openai_responses) {
    EXPECT_EQ(r.reasoning_tokens, kReasoning);
  } else if (flavor() == ApiFlavor::anthropic_messages) {
    EXPECT_GT(r.reasoning_tokens, 0u);  // its thinking text, estimated: the API reports no count
  }
}

TEST_P(MoreApis, MaxTokensStopsTheReplyWithTheApisOwnReason) {
  auto c = client(endpoint());
  ChatRequest request = make_request();
  request.max_tokens = 4;
  TextObserver observer;
  const auto result = c->stream(request, observer);
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(words(result.text), 4) << result.text;
  const std::string expected = flavor() == ApiFlavor::anthropic_messages ? "max_tokens"
                               : flavor() == ApiFlavor::openai_responses ? "max_output_tokens"
                                                                         : "length";
  EXPECT_EQ(result.record.finish_reason, expected);
}

TEST_P(MoreApis, EveryMockFaultMapsToItsErrorKind) {
  Endpoint e = endpoint();
  e.timeouts.first_token = 400ms;  // for the stall
  auto c = client(e);
  struct Case {
    const char* fault;
    ErrorKind kind;
    int status;
  };
  // Anthropic answers an overloaded server with 529 (a 5xx like the others' 503).
  const int overloaded = flavor() == ApiFlavor::anthropic_messages ? 529 : 503;
  for (const Case& fc : {Case{"429", ErrorKind::http_429, 429}, Case{"500", ErrorKind::http_5xx, 500},
                         Case{"503", ErrorKind::http_5xx, overloaded}, Case{"stream_error", ErrorKind::stream_error, 200},
                         Case{"drop", ErrorKind::truncated, 200}, Case{"stall", ErrorKind::timeout, 0}}) {
    TextObserver observer;
    const auto result = c->stream(make_request({{"x-mock-fault", fc.fault}}), observer);
    EXPECT_EQ(result.record.error, fc.kind) << fc.fault << ": " << result.record.error_message;
    EXPECT_EQ(result.record.http_status, fc.status) << fc.fault;
    // The server's own words, read from each API's error shape (mid-stream: its error event).
    if (fc.kind != ErrorKind::truncated && fc.kind != ErrorKind::timeout) {
      EXPECT_NE(result.record.error_message.find("mock fault"), std::string::npos)
          << fc.fault << ": " << result.record.error_message;
    }
  }
  EXPECT_EQ(c->invoke(make_request({{"x-mock-fault", "429"}})).record.error, ErrorKind::http_429);
  EXPECT_EQ(c->invoke(make_request({{"x-mock-fault", "503"}})).record.error, ErrorKind::http_5xx);
  EXPECT_EQ(c->invoke(make_request({{"x-mock-fault", "drop"}})).record.error, ErrorKind::truncated);
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  return std::string(execution_model_name(std::get<0>(info.param))) + "_" +
         std::string(api_flavor_name(std::get<1>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(AllModels, MoreApis,
                         ::testing::Combine(test_support::kEveryExecutionModel,
                                            ::testing::Values(ApiFlavor::openai_completions,
                                                              ApiFlavor::anthropic_messages,
                                                              ApiFlavor::openai_responses)),
                         param_name);

// The key travels in each API's own header (Anthropic: x-api-key with anthropic-version), is
// accepted by a mock that requires it, and never appears in an error message.
TEST(MoreApisAuth, EachApiSendsTheKeyItsOwnWay) {
  constexpr const char* kKey = "sk-ant-test-key-7788";
  auto config = mock::MockConfig::fixed_latency(1ms, 1ms, 2);
  config.port = 0;
  config.api_key = kKey;
  mock::MockServer server(config);
  server.start();
  ::setenv("LLMBENCH_MORE_APIS_KEY", kKey, 1);
  ::setenv("LLMBENCH_MORE_APIS_WRONG_KEY", "sk-ant-wrong-key-0000", 1);
  for (const ApiFlavor flavor :
       {ApiFlavor::openai_completions, ApiFlavor::anthropic_messages, ApiFlavor::openai_responses}) {
    Endpoint e;
    e.base_url = server.base_url();
    e.flavor = flavor;
    e.api_key_env = "LLMBENCH_MORE_APIS_KEY";
    auto c = make_client(ExecutionModel::sync, e, 1);
    const auto ok = c->invoke(make_request());
    EXPECT_TRUE(ok.ok()) << api_flavor_name(flavor) << ": " << ok.record.error_message;
    TextObserver observer;
    EXPECT_TRUE(c->stream(make_request(), observer).ok()) << api_flavor_name(flavor);

    e.api_key_env = "LLMBENCH_MORE_APIS_WRONG_KEY";
    auto wrong = make_client(ExecutionModel::sync, e, 1);
    const auto refused = wrong->invoke(make_request());
    EXPECT_EQ(refused.record.http_status, 401) << api_flavor_name(flavor);
    EXPECT_EQ(refused.record.error_message.find("sk-ant-wrong-key-0000"), std::string::npos);
  }
}

}  // namespace
}  // namespace llmbench::harness
