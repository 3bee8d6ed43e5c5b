#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock_provider/mock_config.h"

namespace llmbench::mock {

// The transport-independent provider core. An engine parses HTTP, hands the request to
// Provider::handle(), and then only moves bytes: it sends head() and the timed body pieces
// an Exchange yields, at their due times. Everything an LLM server "decides" (status,
// headers, content, timing, faults, capacity, rate limits) is decided here, once for both
// engines. Thread-safe: the httplib engine calls it from many threads.

// The request headers the provider reads; engines copy them out of their own header types.
struct RequestHeaders {
  std::optional<std::string_view> authorization{};
  std::optional<std::string_view> mock_ttft_ms{};        // x-mock-ttft-ms
  std::optional<std::string_view> mock_itl_ms{};         // x-mock-itl-ms
  std::optional<std::string_view> mock_output_tokens{};  // x-mock-output-tokens
  std::optional<std::string_view> mock_fault{};          // x-mock-fault
  std::optional<std::string_view> mock_reasoning_tokens{};  // x-mock-reasoning-tokens
  std::optional<std::string_view> x_api_key{};              // Anthropic's key header
  std::optional<std::string_view> anthropic_version{};      // required on /v1/messages

  // Through `find(name)`: an engine's case-insensitive lookup, returning optional<string_view>.
  template <class Find>
  static RequestHeaders from(Find&& find) {
    return {find("authorization"), find("x-mock-ttft-ms"), find("x-mock-itl-ms"), find("x-mock-output-tokens"),
            find("x-mock-fault"), find("x-mock-reasoning-tokens"), find("x-api-key"), find("anthropic-version")};
  }
};

struct IncomingRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path with optional query
  std::string_view body;
  RequestHeaders headers;
  bool body_too_large = false;  // the engine stopped reading at MockConfig::max_body_bytes
};

struct ResponseHead {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // besides content-type/length
  bool chunked = false;  // body arrives in timed pieces (SSE / NDJSON), Transfer-Encoding: chunked
};

// A piece of body due at an absolute steady-clock time. A non-chunked response has exactly
// one piece (its whole body); an engine sends head and body together at that time.
struct BodyPiece {
  enum class Then : std::uint8_t {
    more,  // call next_piece() again
    end,   // the body is complete
    drop,  // close the connection now, abruptly (fault "drop"); `bytes` is empty
  };
  std::int64_t due_ns = 0;
  std::string bytes;
  Then then = Then::end;
};

class SlotTicket;
class ResponseGenerator;
class ProviderState;

// One request/response. Not thread-safe: one engine thread drives it.
class Exchange {
 public:
  Exchange(ResponseHead head, std::string body, std::int64_t now_ns);  // a complete, immediate response
  Exchange(ResponseHead head, std::unique_ptr<ResponseGenerator> generator,
           std::shared_ptr<SlotTicket> ticket, bool stall);
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // Queued for a decode slot: the engine must wait until the waker fires (or give up by
  // destroying the Exchange, which leaves the queue). The waker runs once, on whichever
  // thread frees the slot (or at once, here, if already granted), under an internal lock:
  // it must only signal (cancel a timer, notify a condition variable).
  bool waiting_for_slot() const;
  void set_slot_waker(std::function<void()> waker);

  // Fault "stall": send nothing; hold the connection until the client closes it or until
  // MockConfig::stall_timeout passes, then close it.
  bool stalled() const { return stall_; }

  // Starts the response clock once the slot is granted: the planned TTFT counts from here,
  // so a queued request's client sees queue wait + TTFT (as from a real server). Adds a
  // Server-Timing header with the time spent queued for the slot ("queue;dur=<ms>"); a
  // whole (non-streamed) response also gets "service;dur=<ms>", from the slot to the body,
  // once next_piece() has planned it: engines build the head of such a response after it.
  void begin(std::int64_t now_ns);

  const ResponseHead& head() const { return head_; }
  // The next piece; call until one whose `then` is not `more`. Requires begin().
  BodyPiece next_piece();
  // The same into `piece`, reusing its buffer: the per-token path allocates nothing.
  void next_piece(BodyPiece& piece);
  bool finished() const { return finished_; }

 private:
  ResponseHead head_;
  std::optional<BodyPiece> immediate_;
  std::unique_ptr<ResponseGenerator> generator_;
  std::shared_ptr<SlotTicket> ticket_;
  std::int64_t begin_ns_ = 0;
  bool stall_ = false;
  bool finished_ = false;
};

class Provider {
 public:
  explicit Provider(MockConfig config);
  ~Provider();
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;

  // Never throws for bad input: every problem becomes an HTTP error response.
  std::unique_ptr<Exchange> handle(const IncomingRequest& request, std::int64_t now_ns);

  // Error response for failures the engine detects itself (unparseable HTTP, body or header
  // too large): OpenAI error body.
  std::unique_ptr<Exchange> error_response(int status, std::string_view message, std::string_view code,
                                           std::int64_t now_ns);

  const MockConfig& config() const;
  std::uint32_t running_requests() const;
  std::uint32_t waiting_requests() const;
  // The /metrics text (Prometheus exposition format, vLLM metric names).
  std::string metrics_text() const;

 private:
  std::shared_ptr<ProviderState> state_;
};

}  // namespace llmbench::mock
