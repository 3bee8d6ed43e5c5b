#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The Anthropic Messages API's wire format (POST /v1/messages), as the mock writes it: error
// bodies, the named SSE events of a stream and the whole message. The response generator
// decides what and when; these only spell it. The texts are the mock's plain words: nothing
// to JSON-escape.
namespace llmbench::mock::anthropic {

// {"type":"error","error":{"type":<type>,"message":<message>}}
std::string error_body(std::string_view type, std::string_view message);

// The status and error type Anthropic answers in place of an OpenAI-style refusal's status:
// 400 invalid_request_error, 401 authentication_error, 403 permission_error, 404
// not_found_error, 413 request_too_large, 429 rate_limit_error, 500 api_error, and an
// overloaded server (503) is Anthropic's 529 overloaded_error.
struct ErrorStatus {
  int status;
  std::string_view type;
};
ErrorStatus error_status(int openai_status);

// What every event of one message repeats.
struct MessageIds {
  std::uint64_t sequence = 0;     // id msg_mock<sequence>
  std::string_view quoted_model;  // JSON string, with quotes
  std::uint64_t input_tokens = 0;
};

// event: message_start (usage.output_tokens 1, as Anthropic sends it).
void append_message_start(std::string& out, const MessageIds& ids);
// event: content_block_start of a "thinking" or "text" block.
void append_block_start(std::string& out, unsigned index, bool thinking);
void append_ping(std::string& out);
// event: content_block_delta: thinking_delta or text_delta.
void append_block_delta(std::string& out, unsigned index, bool thinking, std::string_view space,
                        std::string_view word);
// event: content_block_stop (a thinking block's signature_delta first).
void append_block_stop(std::string& out, unsigned index, bool thinking);
// event: message_delta with stop_reason and usage.output_tokens, then event: message_stop.
void append_message_end(std::string& out, std::string_view stop_reason, std::uint64_t output_tokens);
// event: error with an api_error (a failure mid-stream).
void append_stream_error(std::string& out, std::string_view message);

// A whole (non-streamed) message: thinking block when `thinking` is not empty, then the text.
std::string message_body(const MessageIds& ids, std::string_view thinking, std::string_view text,
                         std::string_view stop_reason, std::uint64_t output_tokens);

}  // namespace llmbench::mock::anthropic
