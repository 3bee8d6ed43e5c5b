// The generation request fields the mock honours (mock_provider/request_parser.h).
#include "mock_provider/request_parser.h"

#include <gtest/gtest.h>

namespace llmbench::mock {
namespace {

GenerationRequest parsed(ApiKind api, std::string_view body) {
  auto result = parse_generation_request(api, body);
  EXPECT_TRUE(std::holds_alternative<GenerationRequest>(result))
      << (std::holds_alternative<RequestProblem>(result) ? std::get<RequestProblem>(result).message : "");
  return std::holds_alternative<GenerationRequest>(result) ? std::get<GenerationRequest>(result) : GenerationRequest{};
}

constexpr std::string_view kMessages = R"("model":"m","messages":[{"role":"user","content":"hi"}])";

TEST(RequestParserTest, ReadsMaxTokensSeedMinTokensAndIgnoreEos) {
  const auto request = parsed(ApiKind::chat_completions, "{" + std::string(kMessages) +
                                                             R"(,"max_tokens":40,"seed":9,"min_tokens":30,"ignore_eos":true})");
  EXPECT_EQ(request.max_tokens, 40u);
  EXPECT_EQ(request.seed, 9u);
  EXPECT_EQ(request.min_tokens, 30u);
  EXPECT_TRUE(request.ignore_eos);
}

TEST(RequestParserTest, MaxCompletionTokensWinsOverMaxTokens) {
  const auto request =
      parsed(ApiKind::chat_completions, "{" + std::string(kMessages) + R"(,"max_tokens":40,"max_completion_tokens":12})");
  EXPECT_EQ(request.max_tokens, 12u);
  EXPECT_FALSE(request.min_tokens);
  EXPECT_FALSE(request.ignore_eos);
}

TEST(RequestParserTest, MinTokensAboveMaxTokensIsRefusedAsVllmDoes) {
  const auto result = parse_generation_request(
      ApiKind::chat_completions, "{" + std::string(kMessages) + R"(,"max_tokens":10,"min_tokens":11})");
  ASSERT_TRUE(std::holds_alternative<RequestProblem>(result));
  EXPECT_EQ(std::get<RequestProblem>(result).param, "min_tokens");
  EXPECT_NE(std::get<RequestProblem>(result).message.find("greater than max_tokens 10"), std::string::npos);
}

TEST(RequestParserTest, IllTypedIgnoreEosIsRefused) {
  const auto result =
      parse_generation_request(ApiKind::chat_completions, "{" + std::string(kMessages) + R"(,"ignore_eos":"yes"})");
  ASSERT_TRUE(std::holds_alternative<RequestProblem>(result));
  EXPECT_EQ(std::get<RequestProblem>(result).param, "ignore_eos");
}

}  // namespace
}  // namespace llmbench::mock
