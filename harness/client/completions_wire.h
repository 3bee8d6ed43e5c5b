#pragma once

#include <string>

#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"

namespace llmbench::harness {

// The legacy OpenAI /v1/completions body: model, prompt (the messages' contents joined by a
// blank line: the API has no roles), stream, stream_options.include_usage when streaming with
// Endpoint::include_usage; max_tokens, seed, temperature when set. Its replies (choices[0].text)
// are read by the OpenAI chunk decoder.
std::string completions_body(const Endpoint& endpoint, const ChatRequest& request, bool stream);

}  // namespace llmbench::harness
