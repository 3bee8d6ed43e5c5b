// The stages of Provider::handle one by one, without an Exchange: what each passes on or refuses.
#include "mock_provider/request_stages.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>

#include "mock_provider/provider_state.h"

namespace llmbench::mock {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

MockConfig fixed(std::uint32_t tokens = 8) { return MockConfig::fixed_latency(50ms, 10ms, tokens); }

GenerationRequest chat(bool stream = true) {
  GenerationRequest request;
  request.model = "mock-model";
  request.stream = stream;
  request.prompt_tokens = 10;
  return request;
}

template <class T>
Refusal refusal_of(OrRefusal<T> result) {
  EXPECT_TRUE(std::holds_alternative<Refusal>(result));
  return std::holds_alternative<Refusal>(result) ? std::get<Refusal>(std::move(result)) : Refusal{0, "no refusal"};
}

TEST(RouteTest, MapsPathsIgnoringTheQueryAndMarksOllamaRoutes) {
  const Route chat_route = route_request("/v1/chat/completions?x=1");
  EXPECT_EQ(chat_route.kind, Route::Kind::generate);
  EXPECT_EQ(chat_route.api, ApiKind::chat_completions);
  EXPECT_EQ(chat_route.path, "/v1/chat/completions");
  EXPECT_FALSE(chat_route.ollama);
  const Route generate = route_request("/api/generate");
  EXPECT_EQ(generate.api, ApiKind::ollama_generate);
  EXPECT_TRUE(generate.ollama);
  EXPECT_EQ(route_request("/v1/models/gpt-4o").model_id, "gpt-4o");
  EXPECT_EQ(route_request("/v1/models/").kind, Route::Kind::unknown);
  EXPECT_EQ(route_request("/api/tags").kind, Route::Kind::ollama_tags);
  EXPECT_TRUE(route_request("/api/nope").ollama);  // an unknown /api/ route still answers in Ollama's shape
}

TEST(RouteTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  const auto unknown = check_route(route_request("/v2/x?q"), "POST");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(unknown->code, "unknown_url");
  EXPECT_NE(unknown->message.find("POST /v2/x."), std::string::npos) << unknown->message;
  const auto method = check_route(route_request("/v1/chat/completions"), "GET");
  ASSERT_TRUE(method);
  EXPECT_EQ(method->status, 405);
  EXPECT_EQ(method->code, "method_not_allowed");
  ASSERT_EQ(method->headers.size(), 1u);
  EXPECT_EQ(method->headers[0], (std::pair<std::string, std::string>{"allow", "POST"}));
  EXPECT_FALSE(check_route(route_request("/health"), "GET"));
}

TEST(AuthenticateTest, NeedsTheConfiguredBearerKeyAndNeverEchoesIt) {
  MockConfig config = fixed();
  EXPECT_FALSE(authenticate(config, std::nullopt));  // no key configured: open
  config.api_key = "sekret";
  EXPECT_FALSE(authenticate(config, "Bearer sekret"));
  const auto missing = authenticate(config, std::nullopt);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(missing->code, "invalid_api_key");
  const auto wrong = authenticate(config, "Bearer guess-123");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(wrong->message.find("guess-123"), std::string::npos);
  EXPECT_TRUE(authenticate(config, "sekret"));  // the scheme is required
}

TEST(ListModelsTest, ListsEveryConfiguredModelAndRefusesAnUnknownOne) {
  MockConfig config = fixed();
  config.models = {"a", "b"};
  const json::value list = json::parse(std::get<std::string>(list_models(config, route_request("/v1/models"))));
  EXPECT_EQ(list.at("data").as_array().size(), 2u);
  EXPECT_EQ(list.at("data").at(1).at("id"), "b");
  const json::value tags = json::parse(std::get<std::string>(list_models(config, route_request("/api/tags"))));
  EXPECT_EQ(tags.at("models").at(0).at("name"), "a");
  EXPECT_EQ(json::parse(std::get<std::string>(list_models(config, route_request("/v1/models/b")))).at("id"), "b");
  const Refusal unknown = refusal_of(list_models(config, route_request("/v1/models/c")));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.param, "model");
}

TEST(ParseRequestTest, BodyTooLargeIs413AndABadBodyIs400InTheRoutesWords) {
  const MockConfig config = fixed();
  IncomingRequest too_large;
  too_large.body_too_large = true;
  const Refusal big = refusal_of(parse_request(config, route_request("/v1/chat/completions"), too_large));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.code, "request_too_large");
  IncomingRequest bad;
  bad.body = R"({"model":"m"})";
  EXPECT_EQ(refusal_of(parse_request(config, route_request("/v1/chat/completions"), bad)).message,
            "Missing required parameter: 'messages'.");
  EXPECT_EQ(refusal_of(parse_request(config, route_request("/api/chat"), bad)).message, "messages is required");
  IncomingRequest good;
  good.body = R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true})";
  const auto parsed = parse_request(config, route_request("/v1/chat/completions"), good);
  ASSERT_TRUE(std::holds_alternative<GenerationRequest>(parsed));
  EXPECT_TRUE(std::get<GenerationRequest>(parsed).stream);
}

TEST(ReadControlsTest, ReadsEveryOverrideAndNamesTheBadHeader) {
  const MockConfig config = fixed();
  RequestHeaders headers;
  headers.mock_ttft_ms = " 12.5 ";
  headers.mock_itl_ms = "0.5";
  headers.mock_output_tokens = "7";
  headers.mock_fault = "drop";
  const auto read = read_controls(config, headers);
  ASSERT_TRUE(std::holds_alternative<RequestControls>(read));
  const RequestControls& controls = std::get<RequestControls>(read);
  EXPECT_EQ(controls.ttft_ns, 12'500'000);
  EXPECT_EQ(controls.itl_ns, 500'000);
  EXPECT_EQ(controls.output_tokens, 7u);
  EXPECT_EQ(controls.fault, FaultKind::drop);
  EXPECT_FALSE(controls.no_fault);

  RequestHeaders none;
  none.mock_fault = "none";
  const auto suppressed = std::get<RequestControls>(read_controls(config, none));
  EXPECT_TRUE(suppressed.no_fault);
  EXPECT_FALSE(suppressed.fault);

  const std::pair<std::optional<std::string_view> RequestHeaders::*, std::string_view> bad[] = {
      {&RequestHeaders::mock_ttft_ms, "abc"},         {&RequestHeaders::mock_ttft_ms, "-1"},
      {&RequestHeaders::mock_itl_ms, "3600001"},      {&RequestHeaders::mock_itl_ms, "nan"},
      {&RequestHeaders::mock_output_tokens, "2.5"},   {&RequestHeaders::mock_output_tokens, "0"},
      {&RequestHeaders::mock_output_tokens, "1000001"}, {&RequestHeaders::mock_fault, "explode"}};
  const char* names[] = {"x-mock-ttft-ms",       "x-mock-ttft-ms",       "x-mock-itl-ms",         "x-mock-itl-ms",
                         "x-mock-output-tokens", "x-mock-output-tokens", "x-mock-output-tokens", "x-mock-fault"};
  for (std::size_t i = 0; i < std::size(bad); ++i) {
    RequestHeaders h;
    h.*bad[i].first = bad[i].second;
    const Refusal refusal = refusal_of(read_controls(config, h));
    EXPECT_EQ(refusal.status, 400) << names[i] << ": " << bad[i].second;
    EXPECT_EQ(refusal.param, names[i]);
    EXPECT_EQ(refusal.code, "invalid_header");
  }
}

TEST(CheckModelTest, RefusesAnUnknownModelOnlyWhenAsked) {
  MockConfig config = fixed();
  EXPECT_FALSE(check_model(config, "other", false));
  config.reject_unknown_models = true;
  EXPECT_FALSE(check_model(config, "mock-model", false));
  const auto openai = check_model(config, "other", false);
  ASSERT_TRUE(openai);
  EXPECT_EQ(openai->status, 404);
  EXPECT_EQ(openai->code, "model_not_found");
  EXPECT_EQ(check_model(config, "other", true)->message, "model 'other' not found");
}

TEST(DrawOutcomeTest, ForcedAndSuppressedFaultsAndMaxTokens) {
  MockConfig config = fixed(8);
  config.faults = {{FaultKind::http_500, 1.0}};
  GenerationRequest request = chat();
  RequestRng rng(1, 2);
  EXPECT_EQ(draw_outcome(config, {}, request, rng).fault, FaultKind::http_500);  // rate 1: always
  RequestControls suppressed;
  suppressed.no_fault = true;
  EXPECT_FALSE(draw_outcome(config, suppressed, request, rng).fault);
  RequestControls forced;
  forced.fault = FaultKind::trickle;
  forced.output_tokens = 5;
  request.max_tokens = 3;
  const Outcome outcome = draw_outcome(config, forced, request, rng);
  EXPECT_EQ(outcome.fault, FaultKind::trickle);
  EXPECT_EQ(outcome.tokens, 3u);
  EXPECT_TRUE(outcome.stopped_by_max_tokens);
}

TEST(DrawOutcomeTest, MinTokensRaisesTheLengthAndIgnoreEosRunsToMaxTokens) {
  const MockConfig config = fixed(8);
  GenerationRequest request = chat();
  request.min_tokens = 20;
  RequestRng rng(1, 2);
  Outcome outcome = draw_outcome(config, {}, request, rng);
  EXPECT_EQ(outcome.tokens, 20u);  // drawn 8, raised
  EXPECT_FALSE(outcome.stopped_by_max_tokens);
  request.max_tokens = 20;
  EXPECT_FALSE(draw_outcome(config, {}, request, rng).stopped_by_max_tokens);  // reached, not cut
  request.min_tokens.reset();
  request.max_tokens = 50;
  request.ignore_eos = true;
  outcome = draw_outcome(config, {}, request, rng);
  EXPECT_EQ(outcome.tokens, 50u);
  EXPECT_TRUE(outcome.stopped_by_max_tokens);  // finish_reason "length"
  request.max_tokens = 4;
  EXPECT_EQ(draw_outcome(config, {}, request, rng).tokens, 4u);
}

TEST(DrawOutcomeTest, TheDrawsDoNotDependOnTheOrderOfConfiguredRates) {
  MockConfig forward = fixed();
  forward.faults = {{FaultKind::http_429, 0.3}, {FaultKind::drop, 0.3}};
  MockConfig backward = forward;
  std::swap(backward.faults[0], backward.faults[1]);
  for (std::uint64_t key = 0; key < 200; ++key) {
    RequestRng a(7, key), b(7, key);
    EXPECT_EQ(draw_outcome(forward, {}, chat(), a).fault, draw_outcome(backward, {}, chat(), b).fault) << key;
  }
}

TEST(FaultRefusalTest, AnswersTheFaultsThatComeBeforeTheBody) {
  RateLimiter limiter(0, 0);
  const auto r429 = fault_refusal(FaultKind::http_429, chat(), limiter, 0);
  ASSERT_TRUE(r429);
  EXPECT_EQ(r429->status, 429);
  EXPECT_EQ(r429->type, "requests");
  bool retry_after = false;
  for (const auto& [name, value] : r429->headers) retry_after |= name == "retry-after" && value == "1";
  EXPECT_TRUE(retry_after);
  EXPECT_EQ(fault_refusal(FaultKind::http_500, chat(), limiter, 0)->status, 500);
  EXPECT_EQ(fault_refusal(FaultKind::http_503, chat(), limiter, 0)->type, "server_error");
  EXPECT_EQ(fault_refusal(FaultKind::stream_error, chat(false), limiter, 0)->code, "stream_error");
  for (const auto passes : {FaultKind::stream_error, FaultKind::drop, FaultKind::stall, FaultKind::trickle}) {
    EXPECT_FALSE(fault_refusal(passes, chat(true), limiter, 0)) << fault_kind_name(passes);
  }
  EXPECT_FALSE(fault_refusal(std::nullopt, chat(), limiter, 0));
}

TEST(AdmitTest, QueuesThenRefusesWhenTheQueueIsFull) {
  MockConfig config = fixed();
  config.decode_slots = 1;
  config.max_waiting = 1;
  ProviderState state(config);
  auto first = admit(state, chat(), 4, 0);
  ASSERT_TRUE(std::holds_alternative<Admission>(first));
  EXPECT_TRUE(std::get<Admission>(first).ticket->granted());
  auto second = admit(state, chat(), 4, 0);
  ASSERT_TRUE(std::holds_alternative<Admission>(second));
  EXPECT_FALSE(std::get<Admission>(second).ticket->granted());
  const Refusal full = refusal_of(admit(state, chat(), 4, 0));
  EXPECT_EQ(full.status, 429);
  EXPECT_EQ(full.code, "queue_full");
}

TEST(AdmitTest, RateLimitRefusalNamesTheLimitAndCarriesItsHeaders) {
  MockConfig config = fixed();
  config.rate_limit_tpm = 100;
  ProviderState state(config);
  auto fits = admit(state, chat(), 40, 0);  // 10 prompt + 40 output tokens
  ASSERT_TRUE(std::holds_alternative<Admission>(fits));
  EXPECT_FALSE(std::get<Admission>(fits).rate_limit_headers.empty());
  const Refusal refused = refusal_of(admit(state, chat(), 90, 0));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.type, "tokens");
  EXPECT_NE(refused.message.find("Requested 100."), std::string::npos) << refused.message;
}

TEST(ResponseHeadTest, ContentTypeAndHeaderOrderPerApi) {
  const ResponseHead sse = response_head(chat(true), false, 42, {{"x-ratelimit-limit-requests", "5"}});
  EXPECT_TRUE(sse.chunked);
  EXPECT_EQ(sse.content_type, "text/event-stream");
  ASSERT_EQ(sse.headers.size(), 3u);
  EXPECT_EQ(sse.headers[0], (std::pair<std::string, std::string>{"x-request-id", "req_mock42"}));
  EXPECT_EQ(sse.headers[1].first, "x-ratelimit-limit-requests");
  EXPECT_EQ(sse.headers[2], (std::pair<std::string, std::string>{"cache-control", "no-cache"}));
  const ResponseHead ndjson = response_head(chat(true), true, 1, {});
  EXPECT_EQ(ndjson.content_type, "application/x-ndjson");
  EXPECT_EQ(ndjson.headers.size(), 1u);
  const ResponseHead whole = response_head(chat(false), false, 1, {});
  EXPECT_FALSE(whole.chunked);
  EXPECT_EQ(whole.content_type, "application/json");
}

TEST(RouteTest, AnthropicAndResponsesRoutes) {
  const Route messages = route_request("/v1/messages?beta=true");
  EXPECT_EQ(messages.kind, Route::Kind::generate);
  EXPECT_EQ(messages.api, ApiKind::anthropic_messages);
  EXPECT_TRUE(messages.anthropic);  // errors in Anthropic's shape
  EXPECT_FALSE(messages.ollama);
  const Route responses = route_request("/v1/responses");
  EXPECT_EQ(responses.api, ApiKind::responses);
  EXPECT_FALSE(responses.anthropic);
  EXPECT_FALSE(route_request("/v1/chat/completions").anthropic);
}

TEST(AuthenticateTest, AnthropicTakesXApiKeyOrBearerAndNeedsTheVersion) {
  MockConfig config = fixed();
  const RequestHeaders versioned{.anthropic_version = "2023-06-01"};
  EXPECT_FALSE(authenticate_anthropic(config, versioned));  // no key configured: open
  const auto no_version = authenticate_anthropic(config, {});
  ASSERT_TRUE(no_version);
  EXPECT_EQ(no_version->status, 400);
  config.api_key = "sekret";
  RequestHeaders key = versioned;
  key.x_api_key = "sekret";
  EXPECT_FALSE(authenticate_anthropic(config, key));
  RequestHeaders bearer = versioned;
  bearer.authorization = "Bearer sekret";
  EXPECT_FALSE(authenticate_anthropic(config, bearer));
  RequestHeaders wrong = versioned;
  wrong.x_api_key = "guess-123";
  const auto refused = authenticate_anthropic(config, wrong);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->message.find("guess-123"), std::string::npos);
  EXPECT_TRUE(authenticate_anthropic(config, versioned));  // the key is required once configured
}

TEST(DrawOutcomeTest, ReasoningPhaseAppliesToTheChatStyleApisOnly) {
  MockConfig config = fixed(4);
  config.reasoning_tokens = Distribution::fixed(3);
  for (const ApiKind api : {ApiKind::chat_completions, ApiKind::ollama_chat, ApiKind::anthropic_messages,
                            ApiKind::responses, ApiKind::completions, ApiKind::ollama_generate}) {
    GenerationRequest request = chat();
    request.api = api;
    RequestRng rng = request_rng(config, request, 1);
    const bool chat_style = api != ApiKind::completions && api != ApiKind::ollama_generate;
    EXPECT_EQ(draw_outcome(config, RequestControls{}, request, rng).reasoning_tokens, chat_style ? 3u : 0u)
        << static_cast<int>(api);
  }
}

}  // namespace
}  // namespace llmbench::mock
