#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/client/chat_request.h"
#include "harness/client/chunk_decoder.h"
#include "harness/client/endpoint.h"

// The Anthropic Messages API (POST /v1/messages) as the harness speaks it: the request body,
// the headers, and the reading of its named SSE events and whole message into a DecodedChunk.
namespace llmbench::harness {

// The anthropic-version header sent with every request (the API's stable version).
inline constexpr std::string_view kAnthropicVersion = "2023-06-01";
// max_tokens is required by the API; sent when the request leaves it to the server.
inline constexpr std::uint32_t kAnthropicDefaultMaxTokens = 4096;

// model, max_tokens (kAnthropicDefaultMaxTokens when the request sets none), messages (the
// system messages joined into the top-level "system"), stream, temperature and top_p when set. The API
// has no seed: a request's seed is not sent.
boost::json::object anthropic_body(const Endpoint& endpoint, const ChatRequest& request, bool stream);

// One event's data: message_start (a completion, input tokens), content_block_delta (text_delta
// -> content, thinking_delta -> reasoning), message_delta (stop_reason, usage.output_tokens),
// message_stop (the terminator). ping, content_block_start/stop: nothing. An `error` event's
// {"error":{...}} is read before, as every flavour's error member.
void read_anthropic_event(const boost::json::object& event, DecodedChunk& out);
// A whole message: the first "text" block's text, the first "thinking" block's thinking,
// stop_reason, usage.input_tokens/output_tokens.
void read_anthropic_message(const boost::json::object& message, DecodedChunk& out);

}  // namespace llmbench::harness
