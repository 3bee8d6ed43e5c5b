#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "mock_provider/fault_kind.h"
#include "mock_provider/provider.h"
#include "mock_provider/request_parser.h"
#include "mock_provider/request_rng.h"

namespace llmbench::mock {

// The stages of Provider::handle, in its order: route, authenticate, (list models,) parse, read
// control headers, check model, draw outcome, fault refusal, admit, response head. Each does
// one job and passes on what it found or refuses; handle() chains them and answers a refusal
// in the route's error shape (OpenAI's body, or Ollama's on /api/ routes).
class ProviderState;
class RateLimiter;
class SlotTicket;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Refusal {
  int status = 400;
  std::string message;
  std::optional<std::string> code{};
  std::optional<std::string> param{};
  std::string_view type = "invalid_request_error";
  HeaderList headers{};
};
template <class T>
using OrRefusal = std::variant<T, Refusal>;

struct Route {
  enum class Kind { health, metrics, models, model, ollama_tags, generate, unknown } kind = Kind::unknown;
  ApiKind api = ApiKind::chat_completions;
  std::string_view allowed_method;
  std::string_view model_id;  // GET /v1/models/{id}
  std::string_view path;      // the target without its query
  bool ollama = false;        // an /api/ route: errors in Ollama's shape and words, as Ollama does
  bool anthropic = false;     // /v1/messages: errors in Anthropic's shape and statuses (529 overloaded)
};
Route route_request(std::string_view target);
// 404 for an unknown route, 405 (with Allow) for a wrong method.
std::optional<Refusal> check_route(const Route& route, std::string_view method);
// 401 without the configured key; never echoes what was sent.
std::optional<Refusal> authenticate(const MockConfig& config, std::optional<std::string_view> authorization);
// The same on /v1/messages, where Anthropic's x-api-key carries the key (Authorization: Bearer
// is accepted too, as the SDK's authToken sends it) and an anthropic-version header is required.
std::optional<Refusal> authenticate_anthropic(const MockConfig& config, const RequestHeaders& headers);
// The JSON body of GET /v1/models, /v1/models/{id} (404 if unknown) or /api/tags.
OrRefusal<std::string> list_models(const MockConfig& config, const Route& route);
// 413 when the engine stopped reading the body, 400 for a bad body.
OrRefusal<GenerationRequest> parse_request(const MockConfig& config, const Route& route, const IncomingRequest& request);

// The x-mock-* overrides (docs/mock.md "Per-request control headers").
struct RequestControls {
  std::optional<std::int64_t> ttft_ns;
  std::optional<std::int64_t> itl_ns;
  std::optional<std::uint32_t> output_tokens;
  std::optional<std::uint32_t> reasoning_tokens;
  std::optional<FaultKind> fault;
  bool no_fault = false;  // x-mock-fault: none
};
OrRefusal<RequestControls> read_controls(const MockConfig& config, const RequestHeaders& headers);
// 404 for a model not in the list, with reject_unknown_models.
std::optional<Refusal> check_model(const MockConfig& config, const std::string& model, bool ollama);

// What the request's own random stream decides before the body: output length, then the fault
// (the same draws whatever faults are configured).
struct Outcome {
  std::uint32_t tokens = 1;  // per choice, after max_tokens
  std::uint32_t reasoning_tokens = 0;  // per choice, before the answer's tokens (chat APIs only)
  bool stopped_by_max_tokens = false;
  std::optional<FaultKind> fault;
};
RequestRng request_rng(const MockConfig& config, const GenerationRequest& request, std::uint64_t sequence);
Outcome draw_outcome(const MockConfig& config, const RequestControls& controls, const GenerationRequest& request,
                     RequestRng& rng);
// The faults answered before the body: 429 (with a request-rate refusal's headers), 500, 503,
// and stream_error when not streamed. Stall and the in-body faults pass.
std::optional<Refusal> fault_refusal(std::optional<FaultKind> fault, const GenerationRequest& request,
                                     RateLimiter& rate_limiter, std::int64_t now_ns);

// A decode slot (maybe still queued for) and the rate-limit headers; 429 from either.
struct Admission {
  std::shared_ptr<SlotTicket> ticket;
  HeaderList rate_limit_headers;
};
OrRefusal<Admission> admit(ProviderState& state, const GenerationRequest& request, std::uint32_t tokens,
                           std::int64_t now_ns);

// The head of a generated response (its Server-Timing is added by Exchange::begin).
ResponseHead response_head(const GenerationRequest& request, bool ollama, std::uint64_t sequence,
                           HeaderList rate_limit_headers);

}  // namespace llmbench::mock
