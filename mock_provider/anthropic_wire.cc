#include "mock_provider/anthropic_wire.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <iterator>

namespace llmbench::mock::anthropic {

namespace {

constexpr std::string_view kSignature = "bW9jay1zaWduYXR1cmU=";  // opaque, as real signatures are

}  // namespace

std::string error_body(std::string_view type, std::string_view message) {
  boost::json::object error{{"type", type}, {"message", message}};
  return boost::json::serialize(boost::json::object{{"type", "error"}, {"error", std::move(error)}});
}

ErrorStatus error_status(int openai_status) {
  switch (openai_status) {
    case 401: return {401, "authentication_error"};
    case 403: return {403, "permission_error"};
    case 404: return {404, "not_found_error"};
    case 413: return {413, "request_too_large"};
    case 429: return {429, "rate_limit_error"};
    case 503:
    case 529: return {529, "overloaded_error"};
    default: return {openai_status, openai_status >= 500 ? "api_error" : "invalid_request_error"};
  }
}

void append_message_start(std::string& out, const MessageIds& ids) {
  fmt::format_to(std::back_inserter(out),
                 "event: message_start\ndata: {{\"type\":\"message_start\",\"message\":{{\"id\":\"msg_mock{}\","
                 "\"type\":\"message\",\"role\":\"assistant\",\"model\":{},\"content\":[],\"stop_reason\":null,"
                 "\"stop_sequence\":null,\"usage\":{{\"input_tokens\":{},\"cache_creation_input_tokens\":0,"
                 "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}}}}\n\n",
                 ids.sequence, ids.quoted_model, ids.input_tokens);
}

void append_block_start(std::string& out, unsigned index, bool thinking) {
  fmt::format_to(std::back_inserter(out),
                 "event: content_block_start\ndata: {{\"type\":\"content_block_start\",\"index\":{},"
                 "\"content_block\":{}}}\n\n",
                 index,
                 thinking ? R"({"type":"thinking","thinking":"","signature":""})" : R"({"type":"text","text":""})");
}

void append_ping(std::string& out) { out += "event: ping\ndata: {\"type\":\"ping\"}\n\n"; }

void append_block_delta(std::string& out, unsigned index, bool thinking, std::string_view space,
                        std::string_view word) {
  fmt::format_to(std::back_inserter(out),
                 "event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":{},"
                 "\"delta\":{{\"type\":\"{}\",\"{}\":\"{}{}\"}}}}\n\n",
                 index, thinking ? "thinking_delta" : "text_delta", thinking ? "thinking" : "text", space, word);
}

void append_block_stop(std::string& out, unsigned index, bool thinking) {
  if (thinking) {
    fmt::format_to(std::back_inserter(out),
                   "event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":{},"
                   "\"delta\":{{\"type\":\"signature_delta\",\"signature\":\"{}\"}}}}\n\n",
                   index, kSignature);
  }
  fmt::format_to(std::back_inserter(out),
                 "event: content_block_stop\ndata: {{\"type\":\"content_block_stop\",\"index\":{}}}\n\n", index);
}

void append_message_end(std::string& out, std::string_view stop_reason, std::uint64_t output_tokens) {
  fmt::format_to(std::back_inserter(out),
                 "event: message_delta\ndata: {{\"type\":\"message_delta\",\"delta\":{{\"stop_reason\":\"{}\","
                 "\"stop_sequence\":null}},\"usage\":{{\"output_tokens\":{}}}}}\n\n"
                 "event: message_stop\ndata: {{\"type\":\"message_stop\"}}\n\n",
                 stop_reason, output_tokens);
}

void append_stream_error(std::string& out, std::string_view message) {
  out += "event: error\ndata: ";
  out += error_body("api_error", message);
  out += "\n\n";
}

std::string message_body(const MessageIds& ids, std::string_view thinking, std::string_view text,
                         std::string_view stop_reason, std::uint64_t output_tokens) {
  std::string body;
  auto out = std::back_inserter(body);
  fmt::format_to(out, R"({{"id":"msg_mock{}","type":"message","role":"assistant","model":{},"content":[)", ids.sequence,
                 ids.quoted_model);
  if (!thinking.empty()) {
    fmt::format_to(out, R"({{"type":"thinking","thinking":"{}","signature":"{}"}},)", thinking, kSignature);
  }
  fmt::format_to(out,
                 R"({{"type":"text","text":"{}"}}],"stop_reason":"{}","stop_sequence":null,"usage":{{"input_tokens":{},)"
                 R"("cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":{}}}}})",
                 text, stop_reason, ids.input_tokens, output_tokens);
  return body;
}

}  // namespace llmbench::mock::anthropic
