#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"

namespace llmbench::harness {

// The legacy OpenAI /v1/completions body: model, prompt (the messages' contents joined by a
// blank line: the API has no roles), stream. build_request_body adds OpenAI's request fields,
// the same as for chat. Its replies (choices[0].text) are read by the OpenAI chunk decoder.
boost::json::object completions_body(const Endpoint& endpoint, const ChatRequest& request, bool stream);

}  // namespace llmbench::harness
