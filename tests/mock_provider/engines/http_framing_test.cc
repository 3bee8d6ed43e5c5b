// What both engines share without sockets: request limits, the answers to broken ones, and the
// bytes and timing of a body.
#include "mock_provider/engines/http_framing.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace llmbench::mock {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1'000'000'000;
constexpr const char* kChat = R"({"model":"mock-model","messages":[{"role":"user","content":"hi"}],"stream":true})";

bool feed(RequestBudget& budget, const std::string& bytes) { return budget.account(bytes.data(), bytes.size()); }

TEST(RequestBudgetTest, TheHeadMayFillTheLimitButNotOneByteMore) {
  const std::string line = "GET / HTTP/1.1\r\n";
  const std::string end = "\r\n";
  std::string head = line + "X: " + std::string(kRequestHeadLimitBytes - line.size() - 3 - 2 - end.size(), 'a') + "\r\n";
  RequestBudget exact(0);
  EXPECT_TRUE(feed(exact, head + end));  // exactly the limit, blank line included
  EXPECT_FALSE(exact.head_too_large());
  RequestBudget over(0);
  EXPECT_FALSE(feed(over, "Y" + head + end));
  EXPECT_TRUE(over.head_too_large());
  EXPECT_FALSE(over.body_too_large());
}

TEST(RequestBudgetTest, TheBodyGetsTheLimitPlusFramingSlackAndRestartForgetsThePastRequest) {
  RequestBudget budget(100);
  EXPECT_TRUE(feed(budget, "POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\n"));
  EXPECT_TRUE(feed(budget, std::string(100 + kBodyFramingSlackBytes, 'b')));
  EXPECT_FALSE(feed(budget, "b"));
  EXPECT_TRUE(budget.body_too_large());
  budget.restart();
  EXPECT_FALSE(budget.body_too_large());
  EXPECT_TRUE(feed(budget, "GET / HTTP/1.1\r\n\r\n"));
}

TEST(ReadFailureResponseTest, BodyTooLargeGoesThroughTheRouteItWasSentTo) {
  MockConfig config = MockConfig::fixed_latency(1ms, 1ms, 2);
  Provider provider(config);
  auto answer = [&](std::string_view target) {
    auto exchange = read_failure_response(provider, ReadFailure::body_too_large, "POST", target, kT0);
    exchange->begin(kT0);
    return std::pair(exchange->head().status, json::parse(exchange->next_piece().bytes));
  };
  const auto [status, body] = answer("/v1/chat/completions");
  EXPECT_EQ(status, 413);
  EXPECT_EQ(body.at("error").at("code"), "request_too_large");
  const auto [ollama_status, ollama_body] = answer("/api/chat");
  EXPECT_EQ(ollama_status, 413);
  EXPECT_TRUE(ollama_body.at("error").is_string());  // Ollama's shape on an /api/ route
  const auto [unknown_status, unknown_body] = answer("/nope");
  EXPECT_EQ(unknown_status, 404);  // the status always matches the body it carries
  EXPECT_EQ(unknown_body.at("error").at("code"), "unknown_url");
}

TEST(ReadFailureResponseTest, HeadTooLargeIs431AndMalformedNamesWhatWasWrong) {
  Provider provider(MockConfig::fixed_latency(1ms, 1ms, 2));
  auto head = read_failure_response(provider, ReadFailure::head_too_large, "GET", "/", kT0);
  EXPECT_EQ(head->head().status, 431);
  head->begin(kT0);
  EXPECT_EQ(json::parse(head->next_piece().bytes).at("error").at("code"), "request_header_too_large");
  auto bad = read_failure_response(provider, ReadFailure::malformed, "", "", kT0, 400, "bad method");
  bad->begin(kT0);
  const json::value error = json::parse(bad->next_piece().bytes).at("error");
  EXPECT_EQ(error.at("message"), "Malformed HTTP request: bad method.");
  EXPECT_EQ(error.at("code"), "malformed_request");
  auto uri = read_failure_response(provider, ReadFailure::malformed, "", "", kT0, 414);
  EXPECT_EQ(uri->head().status, 414);
  uri->begin(kT0);
  EXPECT_EQ(json::parse(uri->next_piece().bytes).at("error").at("message"), "Malformed HTTP request.");
}

std::unique_ptr<Exchange> stream(Provider& provider) {
  IncomingRequest in;
  in.method = "POST";
  in.target = "/v1/chat/completions";
  in.body = kChat;
  auto exchange = provider.handle(in, kT0);
  exchange->begin(kT0);
  return exchange;
}

TEST(BodyPacerTest, HandsOutOnlyWhatIsDueAndEverythingDueInOneBatch) {
  Provider provider(MockConfig::fixed_latency(10ms, 5ms, 4));
  auto exchange = stream(provider);
  BodyPacer body(*exchange);
  EXPECT_EQ(body.due_ns(), kT0 + 10'000'000);  // TTFT
  std::string out;
  EXPECT_EQ(body.take_due(kT0 + 9'999'999, out, true), BodyPiece::Then::more);
  EXPECT_TRUE(out.empty());  // nothing due yet
  EXPECT_EQ(body.take_due(kT0 + 10'000'000, out, true), BodyPiece::Then::more);
  EXPECT_NE(out.find("\"role\":\"assistant\""), std::string::npos);
  EXPECT_EQ(body.due_ns(), kT0 + 15'000'000);
  out.clear();
  // Late by three tokens: all of them, the end of the stream and the last chunk in one batch.
  EXPECT_EQ(body.take_due(kT0 + 30'000'000, out, true), BodyPiece::Then::end);
  EXPECT_TRUE(body.done());
  EXPECT_NE(out.find("data: [DONE]\n\n\r\n0\r\n\r\n"), std::string::npos) << out;
}

TEST(BodyPacerTest, UnframedBytesAreTheChunkPayloadsAndADropEndsTheBatch) {
  Provider provider(MockConfig::fixed_latency(10ms, 5ms, 4));
  auto framed = stream(provider);
  auto plain = stream(provider);
  std::string with_frames, without;
  BodyPacer(*framed).take_due(kT0 + 1'000'000'000, with_frames, true);
  BodyPacer(*plain).take_due(kT0 + 1'000'000'000, without, false);
  EXPECT_EQ(without.find("\r\n"), std::string::npos);
  EXPECT_GT(with_frames.size(), without.size());
  EXPECT_EQ(without.substr(without.size() - 14), "data: [DONE]\n\n");

  IncomingRequest in;
  in.method = "POST";
  in.target = "/v1/chat/completions";
  in.body = kChat;
  in.headers.mock_fault = "drop";
  auto dropped = provider.handle(in, kT0);
  dropped->begin(kT0);
  std::string out;
  BodyPacer body(*dropped);
  EXPECT_EQ(body.take_due(kT0 + 1'000'000'000, out, true), BodyPiece::Then::drop);
  EXPECT_TRUE(body.done());
  EXPECT_EQ(out.find("0\r\n\r\n"), std::string::npos);  // a drop never ends the chunked body
}

TEST(SerializeHeadTest, ChunkedOrSizedAndTheConnectionHeader) {
  const ResponseHead head{429, "application/json", {{"retry-after", "1"}}, false};
  EXPECT_EQ(serialize_head(head, 12, false),
            "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 12\r\n"
            "retry-after: 1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(serialize_head(ResponseHead{200, "", {}, true}, -1, true),
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n");
  std::string chunk;
  append_chunk(chunk, "");
  EXPECT_TRUE(chunk.empty());
  append_chunk(chunk, std::string(26, 'z'));
  EXPECT_EQ(chunk, "1a\r\n" + std::string(26, 'z') + "\r\n");
}

}  // namespace
}  // namespace llmbench::mock
