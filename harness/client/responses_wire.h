#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "harness/client/chat_request.h"
#include "harness/client/chunk_decoder.h"
#include "harness/client/endpoint.h"

// The OpenAI Responses API (POST /v1/responses) as the harness speaks it: the request body and
// the reading of its stream events and whole response object into a DecodedChunk.
namespace llmbench::harness {

// model, input (the messages as {role, content} items), stream, max_output_tokens and
// temperature and top_p when set. The API has no seed: a request's seed is not sent.
boost::json::object responses_body(const Endpoint& endpoint, const ChatRequest& request, bool stream);

// One event's data, by its "type": response.output_text.delta -> content;
// response.reasoning_text.delta and response.reasoning_summary_text.delta -> reasoning;
// response.completed / response.incomplete -> the terminator, with the response's usage
// (input_tokens, output_tokens, output_tokens_details.reasoning_tokens) and finish reason
// (incomplete_details.reason, else the status); response.failed and "error" -> an error.
void read_responses_event(const boost::json::object& event, DecodedChunk& out);
// A whole response object: the first message's first output_text, the first reasoning item's
// text, usage and finish reason as above; status "failed" is an error.
void read_responses_response(const boost::json::object& response, DecodedChunk& out);

}  // namespace llmbench::harness
