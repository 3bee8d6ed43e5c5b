// The mock's request handling: any method, target, headers and body get an HTTP response
// (never an exception or a crash), a well-formed one, in bounded time, that never leaks the key.
//
// Input, HTTP-like so seeds are readable:
//   METHOD SP TARGET LF
//   (NAME: VALUE LF)*      authorization, x-mock-ttft-ms, x-mock-itl-ms, x-mock-output-tokens,
//                          x-mock-fault; "x-fuzz-body-too-large: 1" sets the engine's flag
//   LF
//   BODY
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "common/distribution.h"
#include "mock_provider/fault_kind.h"
#include "mock_provider/mock_config.h"
#include "mock_provider/provider.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using llmbench::fuzz::fuzz_check;
using llmbench::mock::BodyPiece;
using llmbench::Distribution;
using llmbench::mock::FaultKind;
using llmbench::mock::IncomingRequest;
using llmbench::mock::MockConfig;
using llmbench::mock::Provider;

constexpr std::string_view kApiKey = "sk-fuzz-0123456789abcdefSECRET";
// 128 choices x 64 tokens, plus role, usage and end pieces, with room to spare.
constexpr std::size_t kMaxPieces = 1 << 16;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

IncomingRequest parse_input(std::string_view text) {
  IncomingRequest request;
  auto next_line = [&]() {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    return line;
  };
  const std::string_view request_line = next_line();
  const std::size_t space = request_line.find(' ');
  request.method = request_line.substr(0, space);
  if (space != std::string_view::npos) request.target = trim(request_line.substr(space + 1));
  while (!text.empty()) {
    const std::string_view line = next_line();
    if (trim(line).empty()) break;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    auto& h = request.headers;
    if (iequals(name, "authorization")) h.authorization = value;
    if (iequals(name, "x-mock-ttft-ms")) h.mock_ttft_ms = value;
    if (iequals(name, "x-mock-itl-ms")) h.mock_itl_ms = value;
    if (iequals(name, "x-mock-output-tokens")) h.mock_output_tokens = value;
    if (iequals(name, "x-mock-fault")) h.mock_fault = value;
    if (iequals(name, "x-fuzz-body-too-large")) request.body_too_large = value == "1";
  }
  request.body = text;
  return request;
}

// The defaults, with small bounds so every plan drains quickly.
MockConfig plain_config() {
  MockConfig config = MockConfig::fixed_latency(std::chrono::milliseconds(5), std::chrono::milliseconds(1), 8);
  config.max_output_tokens = 64;
  return config;
}

// Every optional feature on: key check, model check, slots with slowdown, rate limits and
// all faults with random latencies and lengths.
MockConfig featureful_config() {
  MockConfig config = plain_config();
  config.seed = 7;
  config.ttft = Distribution{Distribution::Kind::lognormal, 20e6, 10e6};
  config.itl = Distribution{Distribution::Kind::exponential, 2e6, 0};
  config.output_tokens = Distribution{Distribution::Kind::uniform, 1, 48};
  config.prefill_per_prompt_token = std::chrono::microseconds(10);
  config.decode_slots = 2;
  config.max_waiting = 1;
  config.load_slowdown = 2.0;
  config.rate_limit_rpm = 600;
  config.rate_limit_tpm = 20000;
  for (std::size_t k = 0; k < llmbench::mock::kFaultKindCount; ++k) {
    config.faults.emplace_back(static_cast<FaultKind>(k), 0.1);
  }
  config.models = {"mock-model", "gpt-4o-mini", "llama3.2"};
  config.reject_unknown_models = true;
  config.api_key = std::string(kApiKey);
  return config;
}

bool has_line_break_or_nul(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos; }

// Error messages may quote the method, path or body the client sent; the key must only ever
// come back if the client put it there itself, never from the Authorization header or config.
bool may_echo_key(const IncomingRequest& request) {
  for (std::string_view echoed : {request.method, request.target, request.body}) {
    if (echoed.find(kApiKey) != std::string_view::npos) return true;
  }
  return false;
}

void check_exchange(const Provider& provider, const IncomingRequest& request,
                    std::unique_ptr<llmbench::mock::Exchange> exchange, std::int64_t now_ns) {
  const bool check_key = provider.config().api_key.has_value() && !may_echo_key(request);
  fuzz_check(exchange != nullptr, "handle() returned no exchange");
  const auto& head = exchange->head();
  fuzz_check(head.status >= 100 && head.status <= 599, "an impossible HTTP status");
  fuzz_check(!has_line_break_or_nul(head.content_type), "a line break in content-type (header injection)");
  for (const auto& [name, value] : head.headers) {
    fuzz_check(!name.empty() && !has_line_break_or_nul(name), "a bad response header name");
    fuzz_check(!has_line_break_or_nul(value), "a line break in a response header value (header injection)");
    if (check_key) fuzz_check(value.find(kApiKey) == value.npos, "the API key in a header");
  }
  if (exchange->stalled()) return;  // the engine sends nothing and closes it later
  fuzz_check(!exchange->waiting_for_slot(), "a request alone on the mock waits for a slot");
  exchange->begin(now_ns);
  std::int64_t last_due = now_ns;
  std::size_t pieces = 0;
  for (;;) {
    const BodyPiece piece = exchange->next_piece();
    ++pieces;
    fuzz_check(piece.due_ns >= last_due, "a body piece is due before the one before it");
    last_due = piece.due_ns;
    if (check_key) fuzz_check(piece.bytes.find(kApiKey) == std::string::npos, "the API key in a body");
    // Fault "drop" closes a stream halfway and a non-streamed response before any byte.
    if (piece.then == BodyPiece::Then::drop) fuzz_check(piece.bytes.empty(), "a drop piece carries bytes");
    if (piece.then != BodyPiece::Then::more) break;
    fuzz_check(head.chunked, "a non-streamed response has more than one piece");
    fuzz_check(pieces < kMaxPieces, "a response body that does not end");
  }
  fuzz_check(exchange->finished(), "the exchange is not finished after its last piece");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const IncomingRequest request = parse_input(llmbench::fuzz::as_text(data, size));
  try {
    for (const MockConfig& config : {plain_config(), featureful_config()}) {
      // A fresh provider per input, so a crash reproduces from its input alone; the same
      // request twice, so the second meets the state the first left (sequence, rate limits).
      llmbench::mock::validate(config);
      Provider provider(config);
      const std::int64_t t0 = 1'000'000'000'000;
      check_exchange(provider, request, provider.handle(request, t0), t0);
      check_exchange(provider, request, provider.handle(request, t0 + 1'000'000), t0 + 1'000'000);
      fuzz_check(!provider.metrics_text().empty(), "empty /metrics text");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    llmbench::fuzz::fuzz_fail("Provider::handle threw on bad input");
  }
  return 0;
}
