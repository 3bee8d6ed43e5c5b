// What a failed response's body becomes in a report: the server's message, one line, bounded,
// with anything that looks like a credential replaced.
#include "harness/client/error_text.h"

#include <gtest/gtest.h>

#include <string>

namespace llmbench::harness {
namespace {

TEST(ErrorBodyMessageTest, OpenAiErrorObjectWithItsCode) {
  EXPECT_EQ(error_body_message(
                R"({"error":{"message":"The model 'nope' does not exist","type":"invalid_request_error",)"
                R"("param":"model","code":"model_not_found"}})"),
            "The model 'nope' does not exist [model_not_found]");
  // A code the message already says is not repeated.
  EXPECT_EQ(error_body_message(R"({"error":{"message":"invalid_api_key: no","code":"invalid_api_key"}})"),
            "invalid_api_key: no");
}

TEST(ErrorBodyMessageTest, OllamaAnthropicFastApiAndBareMessageShapes) {
  EXPECT_EQ(error_body_message(R"({"error":"model \"llama9\" not found, try pulling it first"})"),
            "model \"llama9\" not found, try pulling it first");
  EXPECT_EQ(error_body_message(
                R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})"),
            "invalid x-api-key [authentication_error]");
  EXPECT_EQ(error_body_message(R"({"detail":"Not Found"})"), "Not Found");
  EXPECT_EQ(error_body_message(R"({"message":"Forbidden"})"), "Forbidden");
}

TEST(ErrorBodyMessageTest, RawBodyGivesItsFirstNonBlankLine) {
  EXPECT_EQ(error_body_message("\n\n  404 page not found  \nsecond line\n"), "404 page not found");
  EXPECT_EQ(error_body_message("<html>\n<head><title>502 Bad Gateway</title></head>"), "<html>");
  EXPECT_EQ(error_body_message(""), "");
  EXPECT_EQ(error_body_message("{\"error\": "), "{\"error\":");  // cut JSON: its text
}

TEST(ErrorBodyMessageTest, MessagesAreOneLineAndBounded) {
  EXPECT_EQ(error_body_message(R"({"error":{"message":"line one\nline two"}})"), "line one line two");
  const std::string huge(10'000, 'x');
  const std::string message = error_body_message(huge);
  EXPECT_LE(message.size(), kMaxServerMessageChars);
  EXPECT_TRUE(message.ends_with("\xE2\x80\xA6"));
}

TEST(TruncateUtf8Test, NeverSplitsAMultiByteCharacter) {
  const std::string text = "ab\xC3\xA9\xC3\xA9\xC3\xA9";  // "abééé": 8 bytes
  EXPECT_EQ(truncate_utf8(text, 8), text);
  // 7 bytes: room for "ab" + "é" (4) + "…" (3); the second é would be split, so it goes.
  EXPECT_EQ(truncate_utf8(text, 7), "ab\xC3\xA9\xE2\x80\xA6");
  EXPECT_EQ(truncate_utf8(text, 6), "ab\xE2\x80\xA6");
}

TEST(RedactSecretsTest, KeysWithKnownPrefixesKeepOnlyThePrefix) {
  EXPECT_EQ(redact_secrets("Incorrect API key provided: sk-proj-AbCdEf0123456789. See docs."),
            "Incorrect API key provided: sk-***. See docs.");
  EXPECT_EQ(redact_secrets("key gsk_abcdefgh12345678 rejected"), "key gsk_*** rejected");
  EXPECT_EQ(redact_secrets("token hf_abcdefghijk"), "token hf_***");
}

TEST(RedactSecretsTest, BearerTokensAndLongMixedTokensAreReplaced) {
  EXPECT_EQ(redact_secrets("sent Authorization: Bearer abc.def-123, refused"),
            "sent Authorization: Bearer ***, refused");
  EXPECT_EQ(redact_secrets("bearer xyz"), "bearer ***");
  EXPECT_EQ(redact_secrets("key 0123456789abcdef0123456789abcdef is unknown"), "key *** is unknown");
}

TEST(RedactSecretsTest, OrdinaryTextIsLeftAlone) {
  const std::string text =
      "The model 'gpt-4o-mini-2024-07-18' does not exist [model_not_found]; see "
      "https://platform.openai.com/account/api-keys (sk-proj-****abcd masked by the server)";
  EXPECT_EQ(redact_secrets(text), text);
  EXPECT_EQ(redact_secrets("Failed to connect to 127.0.0.1 port 1: Connection refused"),
            "Failed to connect to 127.0.0.1 port 1: Connection refused");
  EXPECT_EQ(redact_secrets("a_very_long_identifier_without_any_digits_at_all"),
            "a_very_long_identifier_without_any_digits_at_all");
}

}  // namespace
}  // namespace llmbench::harness
