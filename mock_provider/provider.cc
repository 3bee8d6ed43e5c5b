#include "mock_provider/provider.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>

#include "mock_provider/openai_error.h"
#include "mock_provider/provider_state.h"
#include "mock_provider/request_parser.h"
#include "mock_provider/response_generator.h"

namespace llmbench::mock {

namespace json = boost::json;

// --- Exchange

Exchange::Exchange(ResponseHead head, std::string body, std::int64_t now_ns) : head_(std::move(head)) {
  immediate_ = BodyPiece{now_ns, std::move(body), BodyPiece::Then::end};
}

Exchange::Exchange(ResponseHead head, std::unique_ptr<ResponseGenerator> generator, std::shared_ptr<SlotTicket> ticket,
                   bool stall)
    : head_(std::move(head)), generator_(std::move(generator)), ticket_(std::move(ticket)), stall_(stall) {}

// The generator goes before the ticket: a request holds its slot until it is fully torn down.
Exchange::~Exchange() {
  generator_.reset();
  ticket_.reset();
}

bool Exchange::waiting_for_slot() const { return ticket_ != nullptr && !ticket_->granted(); }

void Exchange::set_slot_waker(std::function<void()> waker) {
  if (ticket_ == nullptr) {
    waker();
  } else {
    ticket_->set_waker(std::move(waker));
  }
}

void Exchange::begin(std::int64_t now_ns) {
  if (!generator_) return;
  generator_->begin(now_ns);
  begin_ns_ = now_ns;
  // W3C Server-Timing: lets a client tell the server's queue from its own overhead.
  head_.headers.emplace_back("server-timing",
                             fmt::format("queue;dur={:.3f}", static_cast<double>(now_ns - generator_->arrival_ns()) / 1e6));
}

BodyPiece Exchange::next_piece() {
  BodyPiece piece;
  if (immediate_) {
    piece = std::move(*immediate_);
    immediate_.reset();
  } else if (generator_ && !finished_) {
    piece = generator_->next_piece();
    if (!head_.chunked && begin_ns_ != 0 && !head_.headers.empty() && head_.headers.back().first == "server-timing") {
      head_.headers.back().second +=
          fmt::format(", service;dur={:.3f}", static_cast<double>(piece.due_ns - begin_ns_) / 1e6);
    }
  }
  if (piece.then != BodyPiece::Then::more) finished_ = true;
  return piece;
}

// --- Provider

namespace {

constexpr const char* kJson = "application/json";

struct Route {
  enum class Kind { health, metrics, models, model, ollama_tags, generate, unknown } kind = Kind::unknown;
  ApiKind api = ApiKind::chat_completions;
  std::string_view allowed_method;
  std::string_view model_id;  // GET /v1/models/{id}
};

Route route_for(std::string_view path) {
  using K = Route::Kind;
  if (path == "/health") return {K::health, {}, "GET", {}};
  if (path == "/metrics") return {K::metrics, {}, "GET", {}};
  if (path == "/v1/models") return {K::models, {}, "GET", {}};
  if (path.starts_with("/v1/models/") && path.size() > 11) return {K::model, {}, "GET", path.substr(11)};
  if (path == "/api/tags") return {K::ollama_tags, {}, "GET", {}};
  if (path == "/v1/chat/completions") return {K::generate, ApiKind::chat_completions, "POST", {}};
  if (path == "/v1/completions") return {K::generate, ApiKind::completions, "POST", {}};
  if (path == "/api/chat") return {K::generate, ApiKind::ollama_chat, "POST", {}};
  if (path == "/api/generate") return {K::generate, ApiKind::ollama_generate, "POST", {}};
  return {};
}

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

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Provider::Provider(MockConfig config) : state_(std::make_shared<ProviderState>(std::move(config))) {}
Provider::~Provider() = default;

const MockConfig& Provider::config() const { return state_->config; }
std::uint32_t Provider::running_requests() const { return state_->slots->running(); }
std::uint32_t Provider::waiting_requests() const { return state_->slots->waiting(); }
std::uint64_t Provider::requests_handled() const { return state_->sequence.load(); }

std::string Provider::metrics_text() const {
  return state_->metrics.render(state_->config.models.front(), running_requests(), waiting_requests());
}

std::unique_ptr<Exchange> Provider::error_response(int status, std::string_view message, std::string_view code,
                                                   std::int64_t now_ns) {
  state_->metrics.errors.fetch_add(1, std::memory_order_relaxed);
  ResponseHead head{status, kJson, {}, false};
  const char* type = status >= 500 ? "server_error" : "invalid_request_error";
  return std::make_unique<Exchange>(
      std::move(head), openai_error_body(message, type, std::nullopt, code.empty() ? std::nullopt : std::optional(code)),
      now_ns);
}

std::unique_ptr<Exchange> Provider::handle(const IncomingRequest& request, std::int64_t now_ns) {
  const MockConfig& config = state_->config;
  std::string_view path = request.target;
  if (const auto query = path.find('?'); query != std::string_view::npos) path = path.substr(0, query);
  const Route route = route_for(path);
  // Every /api/ route answers errors in Ollama's shape and words, as Ollama itself does.
  const bool ollama = path.starts_with("/api/");

  // Every error below goes out in the route's own error shape.
  auto fail = [&](int status, std::string_view message, std::string_view type, std::optional<std::string_view> param,
                  std::optional<std::string_view> code,
                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    (status == 429 ? state_->metrics.rejected : state_->metrics.errors).fetch_add(1, std::memory_order_relaxed);
    ResponseHead head{status, kJson, std::move(headers), false};
    return std::make_unique<Exchange>(
        std::move(head), ollama ? ollama_error_body(message) : openai_error_body(message, type, param, code), now_ns);
  };
  // A fault 429 looks like a refusal by the request-rate limit (docs/mock.md): the same
  // x-ratelimit-* headers as a real one, with the requests exhausted until retry-after.
  auto fault_429_headers = [&](std::int64_t at_ns) {
    auto headers = state_->rate_limiter.refusal_headers(1.0, at_ns);
    headers.emplace_back("retry-after", "1");
    headers.emplace_back("retry-after-ms", "1000");
    return headers;
  };
  auto ok_json = [&](std::string body, const char* content_type = kJson) {
    return std::make_unique<Exchange>(ResponseHead{200, content_type, {}, false}, std::move(body), now_ns);
  };

  if (route.kind == Route::Kind::unknown) {
    return fail(404, fmt::format("Unknown request URL: {} {}. Please check the URL for typos.", request.method, path),
                "invalid_request_error", std::nullopt, "unknown_url");
  }
  if (request.method != route.allowed_method) {
    return fail(405,
                fmt::format("Method {} is not allowed for {}; use {}.", request.method, path, route.allowed_method),
                "invalid_request_error", std::nullopt, "method_not_allowed",
                {{"allow", std::string(route.allowed_method)}});
  }
  if (route.kind == Route::Kind::health) return ok_json(R"({"status":"ok"})");
  if (route.kind == Route::Kind::metrics) return ok_json(metrics_text(), "text/plain; version=0.0.4; charset=utf-8");

  if (config.api_key) {
    const std::string expected = "Bearer " + *config.api_key;
    if (!request.headers.authorization) {
      return fail(401,
                  "You didn't provide an API key. You need to provide your API key in an Authorization header using "
                  "Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                  "invalid_request_error", std::nullopt, "invalid_api_key");
    }
    if (*request.headers.authorization != expected) {
      // Never echo what was sent: it may be a real key meant for another server.
      return fail(401, "Incorrect API key provided.", "invalid_request_error", std::nullopt, "invalid_api_key");
    }
  }

  if (route.kind == Route::Kind::models || route.kind == Route::Kind::model || route.kind == Route::Kind::ollama_tags) {
    auto model_object = [&](const std::string& id) {
      return json::object{{"id", id}, {"object", "model"}, {"created", 1700000000}, {"owned_by", "llmbench-mock"}};
    };
    if (route.kind == Route::Kind::model) {
      for (const std::string& id : config.models) {
        if (id == route.model_id) return ok_json(json::serialize(model_object(id)));
      }
      return fail(404, fmt::format("The model '{}' does not exist", route.model_id), "invalid_request_error", "model",
                  "model_not_found");
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
    if (route.kind == Route::Kind::models) return ok_json(json::serialize(json::object{{"object", "list"}, {"data", data}}));
    return ok_json(json::serialize(json::object{{"models", data}}));
  }

  // --- Generation
  if (request.body_too_large) {
    return fail(413, fmt::format("Request body too large: the limit is {} bytes.", config.max_body_bytes),
                "invalid_request_error", std::nullopt, "request_too_large");
  }
  auto parsed = parse_generation_request(route.api, request.body);
  if (auto* problem = std::get_if<RequestProblem>(&parsed)) {
    return fail(400, ollama ? problem->ollama_message : problem->message, "invalid_request_error",
                problem->param ? std::optional<std::string_view>(*problem->param) : std::nullopt,
                problem->code ? std::optional<std::string_view>(*problem->code) : std::nullopt);
  }
  GenerationRequest& generation = std::get<GenerationRequest>(parsed);

  ResponsePlan plan;
  auto header_ms = [&](const std::optional<std::string_view>& value, std::string_view name,
                       std::optional<std::int64_t>& out) -> bool {
    if (!value) return true;
    const auto ms = parse_number(*value);
    if (!ms || *ms < 0 || *ms > 3.6e6) return false;
    out = static_cast<std::int64_t>(std::llround(*ms * 1e6));
    (void)name;
    return true;
  };
  if (!header_ms(request.headers.mock_ttft_ms, "x-mock-ttft-ms", plan.ttft_ns)) {
    return fail(400, "Invalid header x-mock-ttft-ms: expected milliseconds in [0, 3600000], e.g. 50 or 12.5.",
                "invalid_request_error", "x-mock-ttft-ms", "invalid_header");
  }
  if (!header_ms(request.headers.mock_itl_ms, "x-mock-itl-ms", plan.itl_ns)) {
    return fail(400, "Invalid header x-mock-itl-ms: expected milliseconds in [0, 3600000], e.g. 10 or 0.5.",
                "invalid_request_error", "x-mock-itl-ms", "invalid_header");
  }
  std::optional<std::uint32_t> forced_tokens;
  if (request.headers.mock_output_tokens) {
    const auto n = parse_number(*request.headers.mock_output_tokens);
    if (!n || *n < 1 || *n > config.max_output_tokens || *n != std::floor(*n)) {
      return fail(400,
                  fmt::format("Invalid header x-mock-output-tokens: expected an integer in [1, {}].",
                              config.max_output_tokens),
                  "invalid_request_error", "x-mock-output-tokens", "invalid_header");
    }
    forced_tokens = static_cast<std::uint32_t>(*n);
  }
  std::optional<FaultKind> forced_fault;
  bool fault_header_none = false;
  if (request.headers.mock_fault) {
    if (*request.headers.mock_fault == "none") {
      fault_header_none = true;
    } else {
      forced_fault = fault_kind_from_name(*request.headers.mock_fault);
      if (!forced_fault) {
        return fail(400,
                    "Invalid header x-mock-fault: expected one of 429, 500, 503, stream_error, drop, stall, trickle, "
                    "none.",
                    "invalid_request_error", "x-mock-fault", "invalid_header");
      }
    }
  }
  if (config.reject_unknown_models &&
      std::find(config.models.begin(), config.models.end(), generation.model) == config.models.end()) {
    const std::string message = ollama ? fmt::format("model '{}' not found", generation.model)
                                       : fmt::format("The model `{}` does not exist or you do not have access to it.",
                                                     generation.model);
    return fail(404, message, "invalid_request_error", "model", "model_not_found");
  }

  // --- The request's own random stream: output length, then the fault draw, then timing
  // and content (in the generator). Same draws whatever the configuration of faults.
  const std::uint64_t sequence = state_->sequence.fetch_add(1, std::memory_order_relaxed);
  RequestRng rng = generation.seed ? RequestRng(config.seed ^ 0x5EEDF00DCAFEULL, *generation.seed)
                                   : RequestRng(config.seed, sequence);
  const double drawn_tokens = config.output_tokens.sample(rng);
  std::uint32_t tokens = forced_tokens.value_or(static_cast<std::uint32_t>(
      std::clamp(std::llround(drawn_tokens), 1LL, static_cast<long long>(config.max_output_tokens))));
  const double fault_draw = rng.next_unit();
  std::optional<FaultKind> fault = forced_fault;
  if (!fault && !fault_header_none) {
    double cumulative = 0;
    for (std::size_t k = 0; k < kFaultKindCount && !fault; ++k) {
      for (const auto& [kind, rate] : config.faults) {
        if (static_cast<std::size_t>(kind) != k) continue;
        cumulative += rate;
        if (fault_draw < cumulative) fault = kind;
      }
    }
  }
  plan.stopped_by_max_tokens = generation.max_tokens && tokens > *generation.max_tokens;
  if (plan.stopped_by_max_tokens) tokens = *generation.max_tokens;

  const std::string& model = generation.model;
  switch (fault.value_or(FaultKind::trickle)) {
    case FaultKind::http_429:
      return fail(429,
                  fmt::format("Rate limit reached for {} in organization org-mock on requests per min (RPM): mock fault "
                              "429. Please try again in 1s.",
                              model),
                  "requests", std::nullopt, "rate_limit_exceeded", fault_429_headers(now_ns));
    case FaultKind::http_500:
      return fail(500, "The server had an error while processing your request. Sorry about that! (mock fault 500)",
                  "server_error", std::nullopt, std::nullopt);
    case FaultKind::http_503:
      return fail(503, "The engine is currently overloaded, please try again later. (mock fault 503)", "server_error",
                  std::nullopt, std::nullopt);
    case FaultKind::stream_error:
      if (!generation.stream) {
        return fail(500, "The server had an error while processing your request. (mock fault stream_error)",
                    "server_error", std::nullopt, "stream_error");
      }
      break;
    case FaultKind::stall:
      if (fault) {
        state_->metrics.aborted.fetch_add(1, std::memory_order_relaxed);
        return std::make_unique<Exchange>(ResponseHead{}, nullptr, nullptr, true);
      }
      break;
    default: break;
  }

  ResponseHead head;
  head.headers.emplace_back("x-request-id", fmt::format("req_mock{}", sequence));
  if (state_->rate_limiter.enabled()) {
    const std::uint64_t cost = generation.prompt_tokens + std::uint64_t{tokens} * generation.choices;
    RateLimiter::Decision decision = state_->rate_limiter.acquire(cost, now_ns);
    if (!decision.allowed) {
      const double wait = std::max(decision.retry_after_seconds, 0.001);
      const bool by_tokens = decision.by_tokens;
      decision.headers.emplace_back("retry-after", std::to_string(static_cast<long long>(std::ceil(wait))));
      decision.headers.emplace_back("retry-after-ms", std::to_string(static_cast<long long>(std::ceil(wait * 1000))));
      const std::string message = fmt::format(
          "Rate limit reached for {} in organization org-mock on {} per min ({}): Limit {}, Used {}, Requested {}. "
          "Please try again in {:.3f}s. Visit https://platform.openai.com/account/rate-limits to learn more.",
          model, by_tokens ? "tokens" : "requests", by_tokens ? "TPM" : "RPM",
          by_tokens ? state_->rate_limiter.tpm() : state_->rate_limiter.rpm(), decision.used,
          by_tokens ? generation.prompt_tokens + std::uint64_t{tokens} * generation.choices : 1, wait);
      return fail(429, message, by_tokens ? "tokens" : "requests", std::nullopt, "rate_limit_exceeded",
                  std::move(decision.headers));
    }
    for (auto& header : decision.headers) head.headers.push_back(std::move(header));
  }

  std::shared_ptr<SlotTicket> ticket = state_->slots->admit();
  if (ticket == nullptr) {
    return fail(429,
                fmt::format("Failed to enqueue request, waiting requests queue is full ({} running, {} waiting). "
                            "Please try again in 1s.",
                            state_->slots->running(), state_->slots->waiting()),
                "requests", std::nullopt, "queue_full", {{"retry-after", "1"}, {"retry-after-ms", "1000"}});
  }

  plan.request = std::move(generation);
  plan.sequence = sequence;
  plan.output_tokens = tokens;
  plan.fault = fault;
  plan.arrival_ns = now_ns;
  plan.created_unix_s = unix_seconds_now();
  head.status = 200;
  head.chunked = plan.request.stream;
  if (!plan.request.stream) {
    head.content_type = kJson;
  } else {
    head.content_type = ollama ? "application/x-ndjson" : "text/event-stream";
    if (!ollama) head.headers.emplace_back("cache-control", "no-cache");
  }
  auto generator = std::make_unique<ResponseGenerator>(std::move(plan), rng, state_);
  return std::make_unique<Exchange>(std::move(head), std::move(generator), std::move(ticket), false);
}

}  // namespace llmbench::mock
