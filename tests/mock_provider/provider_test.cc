// The provider core without a network: status, headers, exact bytes and planned times.
#include "mock_provider/provider.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>

#include "tests/mock_provider/test_http_client.h"

namespace llmbench::mock {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1'000'000'000;

struct Collected {
  ResponseHead head;
  std::vector<BodyPiece> pieces;
  std::string body{};
  bool stalled = false;
  bool dropped = false;
};

Collected drive(Exchange& exchange, std::int64_t t0 = kT0) {
  Collected c;
  c.head = exchange.head();
  if (exchange.stalled()) {
    c.stalled = true;
    return c;
  }
  exchange.begin(t0);
  for (int i = 0; i < 100000; ++i) {
    BodyPiece piece = exchange.next_piece();
    c.body += piece.bytes;
    c.dropped = piece.then == BodyPiece::Then::drop;
    const bool more = piece.then == BodyPiece::Then::more;
    c.pieces.push_back(std::move(piece));
    if (!more) break;
  }
  return c;
}

struct Call {
  std::string target = "/v1/chat/completions";
  std::string body{};
  std::string method = "POST";
  RequestHeaders headers{};
};

Collected call(Provider& provider, const Call& c, std::int64_t t0 = kT0) {
  IncomingRequest in;
  in.method = c.method;
  in.target = c.target;
  in.body = c.body;
  in.headers = c.headers;
  auto exchange = provider.handle(in, t0);
  return drive(*exchange, t0);
}

std::string chat(bool stream, std::string extra = "") {
  return R"j({"model":"mock-model","messages":[{"role":"user","content":"Say hi please"}],"stream":)j" +
         std::string(stream ? "true" : "false") + extra + "}";
}

MockConfig fixed(std::uint32_t tokens = 3) { return MockConfig::fixed_latency(50ms, 10ms, tokens); }

std::string header(const ResponseHead& head, std::string_view name) {
  for (const auto& [n, v] : head.headers) {
    if (n == name) return v;
  }
  return {};
}

std::vector<json::value> sse_json(const std::string& body, bool expect_done = true) {
  std::string why;
  auto events = testing::parse_sse(body, &why);
  EXPECT_TRUE(events) << why << "\n" << body;
  std::vector<json::value> out;
  if (!events) return out;
  if (expect_done) {
    EXPECT_EQ(events->back(), "[DONE]");
    events->pop_back();
  }
  for (const auto& e : *events) out.push_back(json::parse(e));
  return out;
}

TEST(ProviderTest, ChatStreamHasOpenAIsExactChunkOrder) {
  Provider provider(fixed(3));
  const Collected c = call(provider, {.body = chat(true, R"j(,"stream_options":{"include_usage":true})j")});
  EXPECT_EQ(c.head.status, 200);
  EXPECT_EQ(c.head.content_type, "text/event-stream");
  EXPECT_TRUE(c.head.chunked);
  const auto events = sse_json(c.body);
  ASSERT_EQ(events.size(), 6u);  // role, 3 deltas, finish, usage
  const auto& role = events[0].as_object();
  EXPECT_EQ(role.at("object"), "chat.completion.chunk");
  EXPECT_EQ(role.at("choices").as_array()[0].at("delta"), json::parse(R"j({"role":"assistant","content":"","refusal":null})j"));
  std::string content;
  for (int i = 1; i <= 3; ++i) {
    const auto& choice = events[i].at("choices").as_array()[0].as_object();
    EXPECT_EQ(choice.at("finish_reason"), nullptr);
    EXPECT_FALSE(choice.at("delta").as_object().contains("role"));
    content += choice.at("delta").at("content").as_string();
    EXPECT_EQ(events[i].at("id"), role.at("id"));
  }
  EXPECT_EQ(events[4].at("choices").as_array()[0], json::parse(
      R"j({"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"})j"));
  EXPECT_TRUE(events[5].at("choices").as_array().empty());
  const auto& usage = events[5].at("usage").as_object();
  EXPECT_EQ(usage.at("completion_tokens"), 3);
  EXPECT_EQ(usage.at("prompt_tokens"), 4);  // 13 characters, about 4 per token
  EXPECT_EQ(usage.at("total_tokens"), 7);
  EXPECT_EQ(std::count(content.begin(), content.end(), ' '), 2);

  // The role chunk and the first delta share the first piece, at TTFT; then one per ITL.
  ASSERT_EQ(c.pieces.size(), 3u);
  EXPECT_EQ(c.pieces[0].due_ns, kT0 + 50'000'000);
  EXPECT_EQ(c.pieces[1].due_ns, kT0 + 60'000'000);
  EXPECT_EQ(c.pieces[2].due_ns, kT0 + 70'000'000);
  EXPECT_EQ(sse_json(c.pieces[0].bytes, false).size(), 2u);
  EXPECT_TRUE(c.pieces[2].bytes.ends_with("data: [DONE]\n\n"));
  EXPECT_EQ(c.body.find("event:"), std::string::npos);
}

// Reasoning phase (docs/mock.md): reasoning deltas first, at TTFT then one per ITL, then the answer
// at the same ITL; usage counts both, with the reasoning tokens in its details.
TEST(ProviderTest, ReasoningDeltasComeBeforeTheAnswerAndUsageCountsThem) {
  MockConfig config = fixed(2);
  config.reasoning_tokens = Distribution::fixed(3);
  config.reasoning_field = MockConfig::ReasoningField::reasoning;
  Provider provider(config);
  const Collected c = call(provider, {.body = chat(true, R"j(,"stream_options":{"include_usage":true})j")});
  const auto events = sse_json(c.body);
  ASSERT_EQ(events.size(), 8u);  // role, 3 reasoning deltas, 2 answer deltas, finish, usage
  for (int i = 1; i <= 3; ++i) {
    const auto& delta = events[i].at("choices").as_array()[0].at("delta").as_object();
    EXPECT_TRUE(delta.contains("reasoning")) << json::serialize(delta);
    EXPECT_FALSE(delta.contains("content"));
  }
  for (int i = 4; i <= 5; ++i) EXPECT_TRUE(events[i].at("choices").as_array()[0].at("delta").as_object().contains("content"));
  // The answer's first word has no leading space, as without reasoning.
  EXPECT_NE(events[4].at("choices").as_array()[0].at("delta").at("content").as_string().front(), ' ');
  const auto& usage = events[7].at("usage").as_object();
  EXPECT_EQ(usage.at("completion_tokens"), 5);
  EXPECT_EQ(usage.at("completion_tokens_details").at("reasoning_tokens"), 3);
  ASSERT_EQ(c.pieces.size(), 5u);  // one per token, at TTFT then one per ITL
  EXPECT_EQ(c.pieces[0].due_ns, kT0 + 50'000'000);
  EXPECT_EQ(c.pieces[4].due_ns, kT0 + 90'000'000);

  // The header overrides the configured count; a whole reply carries the text in its field.
  Provider plain(fixed(2));
  const Collected whole = call(plain, {.body = chat(false), .headers = {.mock_reasoning_tokens = "4"}});
  const auto reply = json::parse(whole.body);
  const auto& message = reply.at("choices").as_array()[0].at("message").as_object();
  EXPECT_EQ(std::count(message.at("reasoning_content").as_string().begin(),
                       message.at("reasoning_content").as_string().end(), ' '), 3);
  EXPECT_EQ(reply.at("usage").at("completion_tokens"), 6);
  EXPECT_EQ(reply.at("usage").at("completion_tokens_details").at("reasoning_tokens"), 4);
}

TEST(ProviderTest, NoUsageChunkUnlessAskedFor) {
  Provider provider(fixed(2));
  const auto events = sse_json(call(provider, {.body = chat(true)}).body);
  ASSERT_EQ(events.size(), 4u);
  for (const auto& e : events) EXPECT_FALSE(e.as_object().contains("usage"));
}

TEST(ProviderTest, StreamAndNonStreamCarryTheSameContentForTheSameSeed) {
  MockConfig config = fixed(12);
  config.itl = parse_duration_distribution("uniform(5ms,15ms)");
  Provider provider(config);
  const Collected streamed = call(provider, {.body = chat(true, R"j(,"seed":99)j")});
  const Collected whole = call(provider, {.body = chat(false, R"j(,"seed":99)j")});
  std::string content;
  for (const auto& e : sse_json(streamed.body)) {
    const auto& choices = e.at("choices").as_array();
    if (!choices.empty() && choices[0].at("delta").as_object().contains("content")) {
      content += choices[0].at("delta").at("content").as_string();
    }
  }
  const json::value body = json::parse(whole.body);
  EXPECT_EQ(body.at("choices").as_array()[0].at("message").at("content").as_string(), content);
  // Same draws, so the single body is due exactly when the last streamed piece was.
  EXPECT_EQ(whole.pieces.back().due_ns, streamed.pieces.back().due_ns);
  // A different seed gives different content.
  const Collected other = call(provider, {.body = chat(false, R"j(,"seed":100)j")});
  EXPECT_NE(json::parse(other.body).at("choices").as_array()[0].at("message").at("content").as_string(), content);
}

TEST(ProviderTest, RequestSequenceIsReproducibleAcrossServers) {
  MockConfig config = fixed(8);
  config.ttft = parse_duration_distribution("lognormal(50ms,20ms)");
  config.seed = 1234;
  Provider a(config), b(config);
  for (int i = 0; i < 3; ++i) {
    const Collected x = call(a, {.body = chat(false)});
    const Collected y = call(b, {.body = chat(false)});
    EXPECT_EQ(x.pieces.back().due_ns, y.pieces.back().due_ns);
    EXPECT_EQ(json::parse(x.body).at("choices"), json::parse(y.body).at("choices"));
  }
}

TEST(ProviderTest, NonStreamBodyIsDueAfterTtftPlusItlsWithUsage) {
  Provider provider(fixed(5));
  const Collected c = call(provider, {.body = chat(false)});
  EXPECT_EQ(c.head.status, 200);
  EXPECT_FALSE(c.head.chunked);
  ASSERT_EQ(c.pieces.size(), 1u);
  EXPECT_EQ(c.pieces[0].due_ns, kT0 + 50'000'000 + 4 * 10'000'000);
  const json::value body = json::parse(c.body);
  EXPECT_EQ(body.at("object"), "chat.completion");
  EXPECT_EQ(body.at("choices").as_array()[0].at("finish_reason"), "stop");
  EXPECT_EQ(body.at("usage").at("completion_tokens"), 5);
  EXPECT_EQ(body.at("usage").at("total_tokens"), 9);
  EXPECT_FALSE(header(c.head, "x-request-id").empty());
}

TEST(ProviderTest, MaxTokensCutsWithFinishReasonLengthAndNGivesChoices) {
  Provider provider(fixed(10));
  const Collected c = call(provider, {.body = chat(false, R"j(,"max_completion_tokens":4,"n":2)j")});
  const json::value body = json::parse(c.body);
  ASSERT_EQ(body.at("choices").as_array().size(), 2u);
  for (const auto& choice : body.at("choices").as_array()) {
    EXPECT_EQ(choice.at("finish_reason"), "length");
    const auto& text = choice.at("message").at("content").as_string();
    EXPECT_EQ(std::count(text.begin(), text.end(), ' '), 3);
  }
  EXPECT_EQ(body.at("choices").as_array()[1].at("index"), 1);
  EXPECT_EQ(body.at("usage").at("completion_tokens"), 8);
  // max_tokens (legacy name) works too, and the header overrides the configured length.
  const Collected h = call(provider, {.body = chat(false, R"j(,"max_tokens":2)j"), .headers = {.mock_output_tokens = "1"}});
  EXPECT_EQ(json::parse(h.body).at("usage").at("completion_tokens"), 1);
  EXPECT_EQ(json::parse(h.body).at("choices").as_array()[0].at("finish_reason"), "stop");
}

TEST(ProviderTest, LegacyCompletionsStreamAndNonStream) {
  Provider provider(fixed(2));
  const Collected s = call(provider, {.target = "/v1/completions",
                                      .body = R"j({"model":"m","prompt":"Once upon","stream":true,
                                                 "stream_options":{"include_usage":true}})j"});
  const auto events = sse_json(s.body);
  ASSERT_EQ(events.size(), 4u);  // 2 texts, finish, usage
  EXPECT_EQ(events[0].at("object"), "text_completion");
  EXPECT_EQ(events[2].at("choices").as_array()[0].at("finish_reason"), "stop");
  EXPECT_EQ(events[3].at("usage").at("completion_tokens"), 2);
  const Collected w = call(provider, {.target = "/v1/completions", .body = R"j({"model":"m","prompt":["a","b"]})j"});
  const json::value body = json::parse(w.body);
  EXPECT_EQ(body.at("object"), "text_completion");
  EXPECT_EQ(body.at("choices").as_array().size(), 2u);  // one per prompt
  EXPECT_TRUE(body.at("choices").as_array()[0].as_object().contains("text"));
}

TEST(ProviderTest, OllamaChatStreamsNdjsonWithFinalCounts) {
  Provider provider(fixed(3));
  const Collected c =
      call(provider, {.target = "/api/chat", .body = R"j({"model":"llama3","messages":[{"role":"user","content":"hi"}]})j"});
  EXPECT_EQ(c.head.content_type, "application/x-ndjson");
  ASSERT_TRUE(c.body.ends_with("\n"));
  std::vector<json::value> lines;
  for (std::size_t start = 0; start < c.body.size();) {
    const auto end = c.body.find('\n', start);
    lines.push_back(json::parse(std::string_view(c.body).substr(start, end - start)));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(lines[i].at("done"), false);
    EXPECT_EQ(lines[i].at("message").at("role"), "assistant");
    EXPECT_EQ(lines[i].at("model"), "llama3");
  }
  const auto& last = lines[3].as_object();
  EXPECT_EQ(last.at("done"), true);
  EXPECT_EQ(last.at("done_reason"), "stop");
  EXPECT_EQ(last.at("eval_count"), 3);
  EXPECT_EQ(last.at("prompt_eval_count"), 1);
  EXPECT_EQ(last.at("prompt_eval_duration"), 50'000'000);
  EXPECT_EQ(last.at("eval_duration"), 20'000'000);
  EXPECT_EQ(last.at("total_duration"), 70'000'000);

  const Collected g = call(provider, {.target = "/api/generate",
                                      .body = R"j({"model":"llama3","prompt":"hi","stream":false,"options":{"num_predict":2}})j"});
  EXPECT_EQ(g.head.content_type, "application/json");
  const json::value body = json::parse(g.body);
  EXPECT_EQ(body.at("done"), true);
  EXPECT_EQ(body.at("done_reason"), "length");
  EXPECT_EQ(body.at("eval_count"), 2);
  EXPECT_TRUE(body.at("response").is_string());
}

TEST(ProviderTest, BadInputGetsExactStatusAndOpenAIErrorBody) {
  MockConfig config = fixed();
  config.max_body_bytes = 100;
  Provider provider(config);
  auto expect_error = [&](const Call& c, int status, const std::string& exact_body) {
    const Collected r = call(provider, c);
    EXPECT_EQ(r.head.status, status) << c.target << " " << c.body;
    EXPECT_EQ(r.head.content_type, "application/json");
    EXPECT_EQ(r.body, exact_body) << c.target << " " << c.body;
  };
  expect_error({.body = "{not json"}, 400,
               R"j({"error":{"message":"We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)","type":"invalid_request_error","param":null,"code":null}})j");
  expect_error({.body = R"j({"model":"m"})j"}, 400,
               R"j({"error":{"message":"Missing required parameter: 'messages'.","type":"invalid_request_error","param":"messages","code":"missing_required_parameter"}})j");
  expect_error({.body = R"j({"model":"m","messages":"hi"})j"}, 400,
               R"j({"error":{"message":"Invalid type for 'messages': expected an array, but got a string instead.","type":"invalid_request_error","param":"messages","code":"invalid_type"}})j");
  expect_error({.body = R"j({"model":"m","messages":[{"role":"user"}],"stream":"yes"})j"}, 400,
               R"j({"error":{"message":"Invalid type for 'stream': expected a boolean, but got a string instead.","type":"invalid_request_error","param":"stream","code":"invalid_type"}})j");
  expect_error({.body = R"j({"model":"m","messages":[{"role":"user"}],"max_tokens":0})j"}, 400,
               R"j({"error":{"message":"Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.","type":"invalid_request_error","param":"max_tokens","code":"integer_below_min_value"}})j");
  expect_error({.target = "/v1/nope", .body = "{}"}, 404,
               R"j({"error":{"message":"Unknown request URL: POST /v1/nope. Please check the URL for typos.","type":"invalid_request_error","param":null,"code":"unknown_url"}})j");
  expect_error({.target = "/v1/chat/completions", .method = "GET"}, 405,
               R"j({"error":{"message":"Method GET is not allowed for /v1/chat/completions; use POST.","type":"invalid_request_error","param":null,"code":"method_not_allowed"}})j");
  expect_error({.body = chat(false), .headers = {.mock_ttft_ms = "soon"}}, 400,
               R"j({"error":{"message":"Invalid header x-mock-ttft-ms: expected milliseconds in [0, 3600000], e.g. 50 or 12.5.","type":"invalid_request_error","param":"x-mock-ttft-ms","code":"invalid_header"}})j");
  expect_error({.body = chat(false), .headers = {.mock_fault = "boom"}}, 400,
               R"j({"error":{"message":"Invalid header x-mock-fault: expected one of 429, 500, 503, stream_error, drop, stall, trickle, none.","type":"invalid_request_error","param":"x-mock-fault","code":"invalid_header"}})j");
  IncomingRequest big;
  big.method = "POST";
  big.target = "/v1/chat/completions";
  big.body_too_large = true;
  const Collected r = drive(*provider.handle(big, kT0));
  EXPECT_EQ(r.head.status, 413);
  EXPECT_EQ(r.body,
            R"j({"error":{"message":"Request body too large: the limit is 100 bytes.","type":"invalid_request_error","param":null,"code":"request_too_large"}})j");
  // Ollama routes answer in Ollama's error shape and words (OllamaRoutesAnswerInOllamasWords).
  expect_error({.target = "/api/chat", .body = ""}, 400, R"j({"error":"missing request body"})j");
}

// An Ollama client must not be told what "the OpenAI API expects": every /api/ route answers
// {"error":"..."} in Ollama's lower-case words, whatever went wrong.
TEST(ProviderTest, OllamaRoutesAnswerInOllamasWords) {
  MockConfig config = fixed();
  config.api_key = "sk-test";
  Provider provider(config);
  const RequestHeaders auth{.authorization = "Bearer sk-test"};
  auto ollama_error = [&](const Call& c, int status) {
    const Collected r = call(provider, c);
    EXPECT_EQ(r.head.status, status) << c.target << " " << c.body;
    const json::value body = json::parse(r.body);
    EXPECT_TRUE(body.is_object() && body.as_object().size() == 1 && body.at("error").is_string())
        << c.target << ": not Ollama's {\"error\":\"...\"}: " << r.body;
    EXPECT_EQ(r.body.find("OpenAI"), std::string::npos) << r.body;
    return body.is_object() && body.as_object().contains("error") && body.at("error").is_string()
               ? std::string(body.at("error").as_string())
               : std::string();
  };
  EXPECT_EQ(ollama_error({.target = "/api/chat", .body = "[1,", .headers = auth}, 400).rfind("invalid JSON", 0), 0u);
  EXPECT_EQ(ollama_error({.target = "/api/generate", .body = R"j({"prompt":"hi"})j", .headers = auth}, 400),
            "model is required");
  EXPECT_EQ(ollama_error({.target = "/api/chat", .body = R"j({"model":"m","messages":"hi"})j", .headers = auth}, 400),
            "invalid type for messages: expected an array, got a string");
  EXPECT_EQ(ollama_error({.target = "/api/generate", .body = R"j({"model":"m","options":{"num_predict":-7}})j",
                          .headers = auth},
                         400),
            "invalid num_predict: -7 is below the minimum -2");
  ollama_error({.target = "/api/chat", .method = "GET", .headers = auth}, 405);
  ollama_error({.target = "/api/tags", .method = "GET"}, 401);
  ollama_error({.target = "/api/nope", .body = "{}", .headers = auth}, 404);
  // The OpenAI routes keep OpenAI's words.
  const Collected openai = call(provider, {.body = "[1,", .headers = auth});
  EXPECT_NE(openai.body.find("The OpenAI API expects"), std::string::npos) << openai.body;
}

// A fault 429 stands for a request-rate refusal: it carries the x-ratelimit-* headers a real
// one carries, consistent with its retry-after of 1 s.
TEST(ProviderTest, Fault429CarriesRateLimitHeaders) {
  Provider plain(fixed());
  const Collected r = call(plain, {.body = chat(false), .headers = {.mock_fault = "429"}});
  ASSERT_EQ(r.head.status, 429);
  EXPECT_EQ(header(r.head, "x-ratelimit-limit-requests"), "60");  // one request per second frees up
  EXPECT_EQ(header(r.head, "x-ratelimit-remaining-requests"), "0");
  EXPECT_EQ(header(r.head, "x-ratelimit-reset-requests"), "1s");
  EXPECT_EQ(header(r.head, "retry-after"), "1");

  MockConfig limited = fixed(10);
  limited.rate_limit_rpm = 100;
  limited.rate_limit_tpm = 1000;
  Provider with_limits(limited);
  const Collected ok = call(with_limits, {.body = chat(false)});
  ASSERT_EQ(ok.head.status, 200);
  const Collected f = call(with_limits, {.body = chat(false), .headers = {.mock_fault = "429"}});
  ASSERT_EQ(f.head.status, 429);
  EXPECT_EQ(header(f.head, "x-ratelimit-limit-requests"), "100");
  EXPECT_EQ(header(f.head, "x-ratelimit-remaining-requests"), "0");
  EXPECT_EQ(header(f.head, "x-ratelimit-reset-requests"), "1s");
  EXPECT_EQ(header(f.head, "x-ratelimit-limit-tokens"), "1000");
  // The tokens stand where the first request left them: a fault takes nothing.
  EXPECT_EQ(header(f.head, "x-ratelimit-remaining-tokens"), header(ok.head, "x-ratelimit-remaining-tokens"));
}

// Found by the request_parser fuzzer: an integral double beyond int64 was cast to int64 (UB).
TEST(ProviderTest, IntegerFieldsWrittenAsHugeDoublesAreRangeErrorsNotCasts) {
  Provider provider(fixed());
  auto body_of = [&](const std::string& fields) {
    const Collected r = call(provider, {.body = R"j({"model":"m","messages":[{"role":"user","content":"Hi"}],)j" +
                                                fields + "}"});
    return std::pair{r.head.status, r.body};
  };
  for (const char* huge : {"7777777777777777777777777777777777777777772", "9223372036854775808.0", "1e300"}) {
    const auto [status, body] = body_of(std::string(R"j("n":)j") + huge);
    EXPECT_EQ(status, 400) << huge;
    EXPECT_NE(body.find("integer_above_max_value"), std::string::npos) << body;
  }
  for (const char* tiny : {"-7777777777777777777777777777777777777777772", "-1e300"}) {
    const auto [status, body] = body_of(std::string(R"j("max_tokens":)j") + tiny);
    EXPECT_EQ(status, 400) << tiny;
    EXPECT_NE(body.find("integer_below_min_value"), std::string::npos) << body;
  }
  EXPECT_EQ(body_of(R"j("max_tokens":4.0)j").first, 200);
  const auto [status, body] = body_of(R"j("max_tokens":4.5)j");
  EXPECT_EQ(status, 400);
  EXPECT_NE(body.find("invalid_type"), std::string::npos) << body;
}

TEST(ProviderTest, ApiKeyAndModelChecks) {
  MockConfig config = fixed();
  config.api_key = "sk-secret-value";
  config.reject_unknown_models = true;
  Provider provider(config);
  const Collected none = call(provider, {.body = chat(false)});
  EXPECT_EQ(none.head.status, 401);
  EXPECT_NE(none.body.find(R"j("code":"invalid_api_key")j"), std::string::npos);
  const Collected wrong = call(provider, {.body = chat(false), .headers = {.authorization = "Bearer sk-other-key"}});
  EXPECT_EQ(wrong.head.status, 401);
  EXPECT_EQ(wrong.body.find("sk-other"), std::string::npos);  // never echo a key
  EXPECT_EQ(wrong.body.find("sk-secret"), std::string::npos);
  const RequestHeaders auth{.authorization = "Bearer sk-secret-value"};
  EXPECT_EQ(call(provider, {.body = chat(false), .headers = auth}).head.status, 200);
  const Collected unknown =
      call(provider, {.body = R"j({"model":"gpt-9","messages":[{"role":"user","content":"x"}]})j", .headers = auth});
  EXPECT_EQ(unknown.head.status, 404);
  EXPECT_EQ(unknown.body,
            R"j({"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":"model","code":"model_not_found"}})j");
  const Collected models = call(provider, {.target = "/v1/models", .method = "GET", .headers = auth});
  EXPECT_EQ(json::parse(models.body), json::parse(
      R"j({"object":"list","data":[{"id":"mock-model","object":"model","created":1700000000,"owned_by":"llmbench-mock"}]})j"));
  EXPECT_EQ(call(provider, {.target = "/health", .method = "GET"}).head.status, 200);
}

TEST(ProviderTest, ForcedFaultsBeforeTheBody) {
  Provider provider(fixed());
  const Collected r429 = call(provider, {.body = chat(true), .headers = {.mock_fault = "429"}});
  EXPECT_EQ(r429.head.status, 429);
  EXPECT_EQ(header(r429.head, "retry-after"), "1");
  EXPECT_EQ(header(r429.head, "retry-after-ms"), "1000");
  EXPECT_EQ(r429.body,
            R"j({"error":{"message":"Rate limit reached for mock-model in organization org-mock on requests per min (RPM): mock fault 429. Please try again in 1s.","type":"requests","param":null,"code":"rate_limit_exceeded"}})j");
  const Collected r500 = call(provider, {.body = chat(true), .headers = {.mock_fault = "500"}});
  EXPECT_EQ(r500.head.status, 500);
  EXPECT_EQ(r500.body,
            R"j({"error":{"message":"The server had an error while processing your request. Sorry about that! (mock fault 500)","type":"server_error","param":null,"code":null}})j");
  const Collected r503 = call(provider, {.body = chat(false), .headers = {.mock_fault = "503"}});
  EXPECT_EQ(r503.head.status, 503);
  EXPECT_EQ(r503.body,
            R"j({"error":{"message":"The engine is currently overloaded, please try again later. (mock fault 503)","type":"server_error","param":null,"code":null}})j");
  EXPECT_TRUE(call(provider, {.body = chat(true), .headers = {.mock_fault = "stall"}}).stalled);
}

TEST(ProviderTest, ForcedFaultsInsideTheStream) {
  Provider provider(fixed(6));
  const Collected error = call(provider, {.body = chat(true), .headers = {.mock_fault = "stream_error"}});
  EXPECT_EQ(error.head.status, 200);
  const auto events = sse_json(error.body, false);
  ASSERT_EQ(events.size(), 5u);  // role + 3 deltas (half of 6), then the error, no [DONE]
  EXPECT_EQ(events[4], json::parse(
      R"j({"error":{"message":"The server had an error while processing your request. (mock fault stream_error: failed mid-stream)","type":"server_error","param":null,"code":"stream_error"}})j"));
  EXPECT_EQ(error.pieces.back().then, BodyPiece::Then::end);

  const Collected drop = call(provider, {.body = chat(true), .headers = {.mock_fault = "drop"}});
  EXPECT_TRUE(drop.dropped);
  EXPECT_EQ(drop.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(sse_json(drop.body, false).size(), 4u);

  const Collected whole_drop = call(provider, {.body = chat(false), .headers = {.mock_fault = "drop"}});
  EXPECT_TRUE(whole_drop.dropped);
  EXPECT_TRUE(whole_drop.body.empty());
  EXPECT_EQ(call(provider, {.body = chat(false), .headers = {.mock_fault = "stream_error"}}).head.status, 500);

  const Collected trickle = call(provider, {.body = chat(true), .headers = {.mock_fault = "trickle"}});
  ASSERT_EQ(trickle.pieces.size(), 6u);
  EXPECT_EQ(trickle.pieces[1].due_ns - trickle.pieces[0].due_ns, 500'000'000);  // trickle_itl
  EXPECT_TRUE(trickle.body.ends_with("data: [DONE]\n\n"));
}

TEST(ProviderTest, FaultRatesAreSeededAndRoughlyHonoured) {
  MockConfig config = fixed(1);
  config.seed = 5;
  config.faults = {{FaultKind::http_500, 0.3}, {FaultKind::http_503, 0.2}};
  Provider a(config), b(config);
  int counts[3] = {};
  for (int i = 0; i < 1000; ++i) {
    const int status = call(a, {.body = chat(false)}).head.status;
    EXPECT_EQ(call(b, {.body = chat(false)}).head.status, status);
    counts[status == 500 ? 0 : status == 503 ? 1 : 2]++;
  }
  EXPECT_NEAR(counts[0], 300, 60);
  EXPECT_NEAR(counts[1], 200, 60);
  // x-mock-fault: none overrides the configured rates.
  config.faults = {{FaultKind::http_500, 1.0}};
  Provider always(config);
  EXPECT_EQ(call(always, {.body = chat(false)}).head.status, 500);
  EXPECT_EQ(call(always, {.body = chat(false), .headers = {.mock_fault = "none"}}).head.status, 200);
}

TEST(ProviderTest, SlotsQueueFifoAndRejectWhenFull) {
  MockConfig config = fixed();
  config.decode_slots = 1;
  config.max_waiting = 1;
  Provider provider(config);
  IncomingRequest in;
  in.method = "POST";
  in.target = "/v1/chat/completions";
  const std::string body = chat(true);
  in.body = body;
  auto first = provider.handle(in, kT0);
  auto second = provider.handle(in, kT0);
  EXPECT_FALSE(first->waiting_for_slot());
  EXPECT_TRUE(second->waiting_for_slot());
  EXPECT_EQ(provider.running_requests(), 1u);
  EXPECT_EQ(provider.waiting_requests(), 1u);
  const Collected third = drive(*provider.handle(in, kT0));
  EXPECT_EQ(third.head.status, 429);
  EXPECT_NE(third.body.find("waiting requests queue is full"), std::string::npos);
  EXPECT_NE(third.body.find("try again in 1s"), std::string::npos);
  bool woken = false;
  second->set_slot_waker([&] { woken = true; });
  EXPECT_FALSE(woken);
  first.reset();  // frees the slot: the waiter gets it
  EXPECT_TRUE(woken);
  EXPECT_FALSE(second->waiting_for_slot());
  EXPECT_EQ(provider.running_requests(), 1u);
  EXPECT_EQ(provider.waiting_requests(), 0u);
  second.reset();
  EXPECT_EQ(provider.running_requests(), 0u);
}

TEST(ProviderTest, LoadSlowdownScalesWithRunningRequests) {
  MockConfig config = fixed(1);
  config.decode_slots = 3;
  config.load_slowdown = 3.0;  // factor = 1 + 2 (running - 1) / 2 = running
  Provider provider(config);
  IncomingRequest in;
  in.method = "POST";
  in.target = "/v1/chat/completions";
  const std::string body = chat(false);
  in.body = body;
  auto a = provider.handle(in, kT0);
  EXPECT_EQ(drive(*a).pieces[0].due_ns, kT0 + 50'000'000);  // alone: factor 1
  auto b = provider.handle(in, kT0);
  auto c = provider.handle(in, kT0);
  EXPECT_EQ(drive(*c).pieces[0].due_ns, kT0 + 150'000'000);  // three running: factor 3
}

TEST(ProviderTest, RateLimitsAnswer429WithHeadersAndHint) {
  MockConfig config = fixed(10);
  config.rate_limit_rpm = 2;
  Provider provider(config);
  const Collected first = call(provider, {.body = chat(false)});
  EXPECT_EQ(first.head.status, 200);
  EXPECT_EQ(header(first.head, "x-ratelimit-limit-requests"), "2");
  EXPECT_EQ(header(first.head, "x-ratelimit-remaining-requests"), "1");
  EXPECT_EQ(call(provider, {.body = chat(false)}).head.status, 200);
  const Collected limited = call(provider, {.body = chat(false)});
  EXPECT_EQ(limited.head.status, 429);
  EXPECT_EQ(header(limited.head, "retry-after"), "30");  // one request refills in 60 s / 2
  EXPECT_EQ(header(limited.head, "x-ratelimit-remaining-requests"), "0");
  const json::value error = json::parse(limited.body).at("error");
  EXPECT_EQ(error.at("type"), "requests");
  EXPECT_EQ(error.at("code"), "rate_limit_exceeded");
  EXPECT_NE(std::string(error.at("message").as_string()).find("Please try again in 30.000s"), std::string::npos);
  // 30 s later one request fits again.
  EXPECT_EQ(call(provider, {.body = chat(false)}, kT0 + 30'000'000'000).head.status, 200);

  MockConfig tokens = fixed(10);
  tokens.rate_limit_tpm = 20;  // each request costs 4 prompt + 10 output tokens
  Provider tpm(tokens);
  EXPECT_EQ(call(tpm, {.body = chat(false)}).head.status, 200);
  const Collected t = call(tpm, {.body = chat(false)});
  EXPECT_EQ(t.head.status, 429);
  EXPECT_EQ(json::parse(t.body).at("error").at("type"), "tokens");
  EXPECT_EQ(header(t.head, "x-ratelimit-remaining-tokens"), "6");
}

TEST(ProviderTest, MetricsUseVllmNames) {
  Provider provider(fixed(4));
  call(provider, {.body = chat(false)});
  call(provider, {.body = chat(true)});
  const std::string text = call(provider, {.target = "/metrics", .method = "GET"}).body;
  EXPECT_NE(text.find("vllm:num_requests_running{model_name=\"mock-model\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("vllm:num_requests_waiting{model_name=\"mock-model\"} 0"), std::string::npos);
  EXPECT_NE(text.find("vllm:generation_tokens_total{model_name=\"mock-model\"} 8"), std::string::npos);
  EXPECT_NE(text.find("vllm:time_to_first_token_seconds_count{model_name=\"mock-model\"} 2"), std::string::npos);
  EXPECT_NE(text.find("vllm:inter_token_latency_seconds_count{model_name=\"mock-model\"} 6"), std::string::npos);
  EXPECT_NE(text.find("vllm:e2e_request_latency_seconds_bucket{model_name=\"mock-model\",le=\"+Inf\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("vllm:request_success_total{model_name=\"mock-model\",finished_reason=\"stop\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("vllm:gpu_cache_usage_perc{model_name=\"mock-model\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("vllm:kv_cache_usage_perc{model_name=\"mock-model\"} 0"), std::string::npos);
  EXPECT_NE(text.find("vllm:num_preemptions_total{model_name=\"mock-model\"} 0"), std::string::npos);
  EXPECT_NE(text.find("vllm:prompt_tokens_total{model_name=\"mock-model\"}"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::mock
