#include "mock_provider/request_stages.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "mock_provider/provider_state.h"

namespace llmbench::mock {

namespace json = boost::json;

namespace {

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Refusal invalid_header(std::string message, std::string_view header) {
  return {400, std::move(message), "invalid_header", std::string(header)};
}

// x-mock-ttft-ms / x-mock-itl-ms: milliseconds in [0, 1 h]; false if malformed.
bool read_ms(const std::optional<std::string_view>& value, std::optional<std::int64_t>& out) {
  if (!value) return true;
  const auto ms = parse_number(*value);
  if (!ms || *ms < 0 || *ms > 3.6e6) return false;
  out = static_cast<std::int64_t>(std::llround(*ms * 1e6));
  return true;
}

}  // namespace

Route route_request(std::string_view target) {
  using K = Route::Kind;
  const std::string_view path = target.substr(0, target.find('?'));
  auto route = [&](K kind, std::string_view method, ApiKind api = {}, std::string_view model_id = {}) {
    return Route{kind, api, method, model_id, path, path.starts_with("/api/"), path == "/v1/messages"};
  };
  if (path == "/health") return route(K::health, "GET");
  if (path == "/metrics") return route(K::metrics, "GET");
  if (path == "/v1/models") return route(K::models, "GET");
  if (path.starts_with("/v1/models/") && path.size() > 11) return route(K::model, "GET", {}, path.substr(11));
  if (path == "/api/tags") return route(K::ollama_tags, "GET");
  if (path == "/v1/chat/completions") return route(K::generate, "POST", ApiKind::chat_completions);
  if (path == "/v1/completions") return route(K::generate, "POST", ApiKind::completions);
  if (path == "/api/chat") return route(K::generate, "POST", ApiKind::ollama_chat);
  if (path == "/api/generate") return route(K::generate, "POST", ApiKind::ollama_generate);
  if (path == "/v1/messages") return route(K::generate, "POST", ApiKind::anthropic_messages);
  if (path == "/v1/responses") return route(K::generate, "POST", ApiKind::responses);
  return route(K::unknown, {});
}

std::optional<Refusal> check_route(const Route& route, std::string_view method) {
  if (route.kind == Route::Kind::unknown) {
    return Refusal{404, fmt::format("Unknown request URL: {} {}. Please check the URL for typos.", method, route.path),
                   "unknown_url"};
  }
  if (method == route.allowed_method) return std::nullopt;
  return Refusal{405, fmt::format("Method {} is not allowed for {}; use {}.", method, route.path, route.allowed_method),
                 "method_not_allowed", std::nullopt, "invalid_request_error",
                 {{"allow", std::string(route.allowed_method)}}};
}

std::optional<Refusal> authenticate(const MockConfig& config, std::optional<std::string_view> authorization) {
  if (!config.api_key) return std::nullopt;
  if (!authorization) {
    return Refusal{401,
                   "You didn't provide an API key. You need to provide your API key in an Authorization header using "
                   "Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                   "invalid_api_key"};
  }
  // Never echo what was sent: it may be a real key meant for another server.
  if (*authorization == "Bearer " + *config.api_key) return std::nullopt;
  return Refusal{401, "Incorrect API key provided.", "invalid_api_key"};
}

std::optional<Refusal> authenticate_anthropic(const MockConfig& config, const RequestHeaders& headers) {
  if (config.api_key) {
    const bool key_ok = headers.x_api_key ? *headers.x_api_key == *config.api_key
                                          : headers.authorization && *headers.authorization == "Bearer " + *config.api_key;
    // Never echo what was sent: it may be a real key meant for another server.
    if (!key_ok) {
      return Refusal{401, headers.x_api_key || headers.authorization ? "invalid x-api-key" : "x-api-key header is required",
                     "invalid_api_key"};
    }
  }
  if (!headers.anthropic_version) return Refusal{400, "anthropic-version: header is required", "missing_header"};
  return std::nullopt;
}

OrRefusal<std::string> list_models(const MockConfig& config, const Route& route) {
  auto model_object = [](const std::string& id) {
    return json::object{{"id", id}, {"object", "model"}, {"created", 1700000000}, {"owned_by", "llmbench-mock"}};
  };
  if (route.kind == Route::Kind::model) {
    for (const std::string& id : config.models) {
      if (id == route.model_id) return json::serialize(model_object(id));
    }
    return Refusal{404, fmt::format("The model '{}' does not exist", route.model_id), "model_not_found", "model"};
  }
  json::array data;
  for (const std::string& id : config.models) {
    if (route.kind == Route::Kind::models) {
      data.push_back(model_object(id));
    } else {
      data.push_back(json::object{{"name", id}, {"model", id}, {"modified_at", "2026-01-01T00:00:00Z"}, {"size", 0},
                                  {"digest", ""}});
    }
  }
  if (route.kind == Route::Kind::models) return json::serialize(json::object{{"object", "list"}, {"data", data}});
  return json::serialize(json::object{{"models", data}});
}

OrRefusal<GenerationRequest> parse_request(const MockConfig& config, const Route& route,
                                           const IncomingRequest& request) {
  if (request.body_too_large) {
    return Refusal{413, fmt::format("Request body too large: the limit is {} bytes.", config.max_body_bytes),
                   "request_too_large"};
  }
  auto parsed = parse_generation_request(route.api, request.body,
                                         config.prefix_cache_blocks > 0 ? config.prefix_block_tokens : 0);
  if (auto* problem = std::get_if<RequestProblem>(&parsed)) {
    return Refusal{400, route.ollama ? problem->ollama_message : problem->message, problem->code, problem->param};
  }
  return std::get<GenerationRequest>(std::move(parsed));
}

OrRefusal<RequestControls> read_controls(const MockConfig& config, const RequestHeaders& headers) {
  RequestControls controls;
  if (!read_ms(headers.mock_ttft_ms, controls.ttft_ns)) {
    return invalid_header("Invalid header x-mock-ttft-ms: expected milliseconds in [0, 3600000], e.g. 50 or 12.5.",
                          "x-mock-ttft-ms");
  }
  if (!read_ms(headers.mock_itl_ms, controls.itl_ns)) {
    return invalid_header("Invalid header x-mock-itl-ms: expected milliseconds in [0, 3600000], e.g. 10 or 0.5.",
                          "x-mock-itl-ms");
  }
  if (headers.mock_output_tokens) {
    const auto n = parse_number(*headers.mock_output_tokens);
    if (!n || *n < 1 || *n > config.max_output_tokens || *n != std::floor(*n)) {
      return invalid_header(
          fmt::format("Invalid header x-mock-output-tokens: expected an integer in [1, {}].", config.max_output_tokens),
          "x-mock-output-tokens");
    }
    controls.output_tokens = static_cast<std::uint32_t>(*n);
  }
  if (headers.mock_reasoning_tokens) {
    const auto n = parse_number(*headers.mock_reasoning_tokens);
    if (!n || *n < 0 || *n > config.max_output_tokens || *n != std::floor(*n)) {
      return invalid_header(fmt::format("Invalid header x-mock-reasoning-tokens: expected an integer in [0, {}].",
                                        config.max_output_tokens),
                            "x-mock-reasoning-tokens");
    }
    controls.reasoning_tokens = static_cast<std::uint32_t>(*n);
  }
  if (headers.mock_fault) {
    controls.no_fault = *headers.mock_fault == "none";
    controls.fault = fault_kind_from_name(*headers.mock_fault);
    if (!controls.fault && !controls.no_fault) {
      return invalid_header(
          "Invalid header x-mock-fault: expected one of 429, 500, 503, stream_error, drop, stall, trickle, none.",
          "x-mock-fault");
    }
  }
  return controls;
}

std::optional<Refusal> check_model(const MockConfig& config, const std::string& model, bool ollama) {
  if (!config.reject_unknown_models || std::find(config.models.begin(), config.models.end(), model) != config.models.end()) {
    return std::nullopt;
  }
  return Refusal{404,
                 ollama ? fmt::format("model '{}' not found", model)
                        : fmt::format("The model `{}` does not exist or you do not have access to it.", model),
                 "model_not_found", "model"};
}

RequestRng request_rng(const MockConfig& config, const GenerationRequest& request, std::uint64_t sequence) {
  return request.seed ? RequestRng(config.seed ^ 0x5EEDF00DCAFEULL, *request.seed) : RequestRng(config.seed, sequence);
}

Outcome draw_outcome(const MockConfig& config, const RequestControls& controls, const GenerationRequest& request,
                     RequestRng& rng) {
  Outcome outcome;
  const double drawn_tokens = config.output_tokens.sample(rng);
  outcome.tokens = controls.output_tokens.value_or(static_cast<std::uint32_t>(
      std::clamp(std::llround(drawn_tokens), 1LL, static_cast<long long>(config.max_output_tokens))));
  const double fault_draw = rng.next_unit();
  outcome.fault = controls.fault;
  // Kinds in a fixed order, whatever the order of the configured rates.
  double cumulative = 0;
  for (std::size_t k = 0; k < kFaultKindCount && !outcome.fault && !controls.no_fault; ++k) {
    for (const auto& [kind, rate] : config.faults) {
      if (static_cast<std::size_t>(kind) != k) continue;
      cumulative += rate;
      if (fault_draw < cumulative) outcome.fault = kind;
    }
  }
  // Drawn last and only when configured, so replies without reasoning keep their draws.
  const bool chat = request.api == ApiKind::chat_completions || request.api == ApiKind::ollama_chat ||
                    request.api == ApiKind::anthropic_messages || request.api == ApiKind::responses;
  if (chat && controls.reasoning_tokens) {
    outcome.reasoning_tokens = *controls.reasoning_tokens;
  } else if (chat && !(config.reasoning_tokens.is_fixed() && config.reasoning_tokens.a == 0)) {
    outcome.reasoning_tokens = static_cast<std::uint32_t>(std::clamp(
        std::llround(config.reasoning_tokens.sample(rng)), 0LL, static_cast<long long>(config.max_output_tokens)));
  }
  if (request.ignore_eos) {
    // Never stops at an end of sequence: only the length ends it, as vLLM's ignore_eos does.
    outcome.tokens = std::min(request.max_tokens.value_or(config.max_output_tokens), config.max_output_tokens);
    outcome.stopped_by_max_tokens = true;
    return outcome;
  }
  if (request.min_tokens) outcome.tokens = std::max(outcome.tokens, std::min(*request.min_tokens, config.max_output_tokens));
  outcome.stopped_by_max_tokens = request.max_tokens && outcome.tokens > *request.max_tokens;
  if (outcome.stopped_by_max_tokens) outcome.tokens = *request.max_tokens;
  return outcome;
}

std::optional<Refusal> fault_refusal(std::optional<FaultKind> fault, const GenerationRequest& request,
                                     RateLimiter& rate_limiter, std::int64_t now_ns) {
  switch (fault.value_or(FaultKind::trickle)) {
    case FaultKind::http_429: {
      // Looks like a refusal by the request-rate limit (docs/mock.md): the same x-ratelimit-*
      // headers as a real one, with the requests exhausted until retry-after.
      HeaderList headers = rate_limiter.refusal_headers(1.0, now_ns);
      headers.emplace_back("retry-after", "1");
      headers.emplace_back("retry-after-ms", "1000");
      return Refusal{429,
                     fmt::format("Rate limit reached for {} in organization org-mock on requests per min (RPM): mock "
                                 "fault 429. Please try again in 1s.",
                                 request.model),
                     "rate_limit_exceeded", std::nullopt, "requests", std::move(headers)};
    }
    case FaultKind::http_500:
      return Refusal{500, "The server had an error while processing your request. Sorry about that! (mock fault 500)",
                     std::nullopt, std::nullopt, "server_error"};
    case FaultKind::http_503:
      return Refusal{503, "The engine is currently overloaded, please try again later. (mock fault 503)",
                     std::nullopt, std::nullopt, "server_error"};
    case FaultKind::stream_error:
      if (request.stream) return std::nullopt;
      return Refusal{500, "The server had an error while processing your request. (mock fault stream_error)",
                     "stream_error", std::nullopt, "server_error"};
    default: return std::nullopt;
  }
}

OrRefusal<Admission> admit(ProviderState& state, const GenerationRequest& request, std::uint32_t tokens,
                           std::int64_t now_ns) {
  Admission admission;
  if (state.rate_limiter.enabled()) {
    const std::uint64_t cost = request.prompt_tokens + std::uint64_t{tokens} * request.choices;
    RateLimiter::Decision decision = state.rate_limiter.acquire(cost, now_ns);
    if (!decision.allowed) {
      const double wait = std::max(decision.retry_after_seconds, 0.001);
      const bool by_tokens = decision.by_tokens;
      decision.headers.emplace_back("retry-after", std::to_string(static_cast<long long>(std::ceil(wait))));
      decision.headers.emplace_back("retry-after-ms", std::to_string(static_cast<long long>(std::ceil(wait * 1000))));
      return Refusal{429,
                     fmt::format("Rate limit reached for {} in organization org-mock on {} per min ({}): Limit {}, "
                                 "Used {}, Requested {}. Please try again in {:.3f}s. Visit "
                                 "https://platform.openai.com/account/rate-limits to learn more.",
                                 request.model, by_tokens ? "tokens" : "requests", by_tokens ? "TPM" : "RPM",
                                 by_tokens ? state.rate_limiter.tpm() : state.rate_limiter.rpm(), decision.used,
                                 by_tokens ? cost : 1, wait),
                     "rate_limit_exceeded", std::nullopt, by_tokens ? "tokens" : "requests",
                     std::move(decision.headers)};
    }
    admission.rate_limit_headers = std::move(decision.headers);
  }
  admission.ticket = state.slots->admit();
  if (admission.ticket == nullptr) {
    return Refusal{429,
                   fmt::format("Failed to enqueue request, waiting requests queue is full ({} running, {} waiting). "
                               "Please try again in 1s.",
                               state.slots->running(), state.slots->waiting()),
                   "queue_full", std::nullopt, "requests", {{"retry-after", "1"}, {"retry-after-ms", "1000"}}};
  }
  return admission;
}

ResponseHead response_head(const GenerationRequest& request, bool ollama, std::uint64_t sequence,
                           HeaderList rate_limit_headers) {
  ResponseHead head{200, "application/json", {}, request.stream};
  head.headers.reserve(rate_limit_headers.size() + 3);
  head.headers.emplace_back(request.api == ApiKind::anthropic_messages ? "request-id" : "x-request-id",
                            fmt::format("req_mock{}", sequence));
  for (auto& header : rate_limit_headers) head.headers.push_back(std::move(header));
  if (request.stream) {
    head.content_type = ollama ? "application/x-ndjson" : "text/event-stream";
    if (!ollama) head.headers.emplace_back("cache-control", "no-cache");
  }
  return head;
}

}  // namespace llmbench::mock
