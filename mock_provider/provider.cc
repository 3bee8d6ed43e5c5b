#include "mock_provider/provider.h"

#include <algorithm>

#include <fmt/format.h>

#include <chrono>

#include "mock_provider/anthropic_wire.h"
#include "mock_provider/openai_error.h"
#include "mock_provider/provider_state.h"
#include "mock_provider/request_stages.h"
#include "mock_provider/response_generator.h"

namespace llmbench::mock {

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
  next_piece(piece);
  return piece;
}

void Exchange::next_piece(BodyPiece& piece) {
  piece.bytes.clear();
  piece.due_ns = 0;
  piece.then = BodyPiece::Then::end;
  if (immediate_) {
    piece = std::move(*immediate_);
    immediate_.reset();
  } else if (generator_ && !finished_) {
    generator_->next_piece(piece);
    if (!head_.chunked && begin_ns_ != 0 && !head_.headers.empty() && head_.headers.back().first == "server-timing") {
      head_.headers.back().second +=
          fmt::format(", service;dur={:.3f}", static_cast<double>(piece.due_ns - begin_ns_) / 1e6);
    }
  }
  if (piece.then != BodyPiece::Then::more) finished_ = true;
}

// --- Provider

namespace {

constexpr const char* kJson = "application/json";

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::unique_ptr<Exchange> answer(std::string body, const char* content_type, std::int64_t now_ns) {
  return std::make_unique<Exchange>(ResponseHead{200, content_type, {}, false}, std::move(body), now_ns);
}

// A refusal in the route's error shape (Ollama's on the /api/ routes, Anthropic's on /v1/messages).
std::unique_ptr<Exchange> refusal_answer(MockMetrics& metrics, Refusal&& r, const Route& route, std::int64_t now_ns) {
  (r.status == 429 ? metrics.rejected : metrics.errors).fetch_add(1, std::memory_order_relaxed);
  std::string body;
  if (route.anthropic) {
    const anthropic::ErrorStatus shape = anthropic::error_status(r.status);
    r.status = shape.status;
    body = anthropic::error_body(shape.type, r.message);
  } else {
    body = route.ollama ? ollama_error_body(r.message) : openai_error_body(r.message, r.type, r.param, r.code);
  }
  return std::make_unique<Exchange>(ResponseHead{r.status, kJson, std::move(r.headers), false}, std::move(body), now_ns);
}

}  // namespace

Provider::Provider(MockConfig config) : state_(std::make_shared<ProviderState>(std::move(config))) {}
Provider::~Provider() = default;

const MockConfig& Provider::config() const { return state_->config; }
std::uint32_t Provider::running_requests() const { return state_->slots->running(); }
std::uint32_t Provider::waiting_requests() const { return state_->slots->waiting(); }

std::string Provider::metrics_text() const {
  const std::uint32_t running = running_requests();
  const std::uint32_t slots = state_->slots->slots();
  const double kv_usage = slots > 0 ? std::min(1.0, static_cast<double>(running) / slots) : 0.0;
  return state_->metrics.render(state_->config.models.front(), running, waiting_requests(), kv_usage);
}

std::unique_ptr<Exchange> Provider::error_response(int status, std::string_view message, std::string_view code,
                                                   std::int64_t now_ns) {
  return refusal_answer(state_->metrics,
                        {status, std::string(message), code.empty() ? std::nullopt : std::optional<std::string>(code),
                         std::nullopt, status >= 500 ? "server_error" : "invalid_request_error"},
                        Route{}, now_ns);
}

// Chains the stages of request_stages.h; the first refusal is the answer.
std::unique_ptr<Exchange> Provider::handle(const IncomingRequest& request, std::int64_t now_ns) {
  ProviderState& state = *state_;
  const MockConfig& config = state.config;
  const Route route = route_request(request.target);
  auto refuse = [&](Refusal&& r) { return refusal_answer(state.metrics, std::move(r), route, now_ns); };
  if (auto refusal = check_route(route, request.method)) return refuse(std::move(*refusal));
  if (route.kind == Route::Kind::health) return answer(R"({"status":"ok"})", kJson, now_ns);
  if (route.kind == Route::Kind::metrics) return answer(metrics_text(), "text/plain; version=0.0.4; charset=utf-8", now_ns);
  if (auto refusal = route.anthropic ? authenticate_anthropic(config, request.headers)
                                     : authenticate(config, request.headers.authorization)) {
    return refuse(std::move(*refusal));
  }
  if (route.kind != Route::Kind::generate) {
    auto listing = list_models(config, route);
    if (auto* refusal = std::get_if<Refusal>(&listing)) return refuse(std::move(*refusal));
    return answer(std::get<std::string>(std::move(listing)), kJson, now_ns);
  }
  auto parsed = parse_request(config, route, request);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) return refuse(std::move(*refusal));
  GenerationRequest& generation = std::get<GenerationRequest>(parsed);
  auto controls = read_controls(config, request.headers);
  if (auto* refusal = std::get_if<Refusal>(&controls)) return refuse(std::move(*refusal));
  if (auto refusal = check_model(config, generation.model, route.ollama)) return refuse(std::move(*refusal));

  const std::uint64_t sequence = state.sequence.fetch_add(1, std::memory_order_relaxed);
  RequestRng rng = request_rng(config, generation, sequence);
  const RequestControls& control = std::get<RequestControls>(controls);
  const Outcome outcome = draw_outcome(config, control, generation, rng);
  if (outcome.fault == FaultKind::stall) {
    state.metrics.aborted.fetch_add(1, std::memory_order_relaxed);
    return std::make_unique<Exchange>(ResponseHead{}, nullptr, nullptr, true);
  }
  if (auto refusal = fault_refusal(outcome.fault, generation, state.rate_limiter, now_ns)) {
    return refuse(std::move(*refusal));
  }
  auto admitted = admit(state, generation, outcome.tokens, now_ns);
  if (auto* refusal = std::get_if<Refusal>(&admitted)) return refuse(std::move(*refusal));
  Admission& admission = std::get<Admission>(admitted);
  if (state.prefix_cache) {
    // At admission, as a server consults its cache when it schedules the prefill. At least
    // one token is always computed.
    const std::uint64_t cached =
        std::uint64_t{state.prefix_cache->lookup_and_insert(generation.prefix_blocks)} * config.prefix_block_tokens;
    generation.cached_tokens = static_cast<std::uint32_t>(std::min<std::uint64_t>(cached, generation.prompt_tokens - 1));
    state.metrics.prefix_cache_queries.fetch_add(generation.prompt_tokens, std::memory_order_relaxed);
    state.metrics.prefix_cache_hits.fetch_add(generation.cached_tokens, std::memory_order_relaxed);
  }

  ResponseHead head = response_head(generation, route.ollama, sequence, std::move(admission.rate_limit_headers));
  ResponsePlan plan{std::move(generation), sequence, outcome.tokens, outcome.reasoning_tokens,
                    outcome.stopped_by_max_tokens, outcome.fault,
                    control.ttft_ns, control.itl_ns, now_ns, unix_seconds_now()};
  auto generator = std::make_unique<ResponseGenerator>(std::move(plan), rng, state_);
  return std::make_unique<Exchange>(std::move(head), std::move(generator), std::move(admission.ticket), false);
}

}  // namespace llmbench::mock
