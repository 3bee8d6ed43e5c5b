#include "harness/client/completions_wire.h"

#include <boost/json.hpp>

namespace llmbench::harness {

std::string completions_body(const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  std::string prompt;
  for (const ChatMessage& message : request.messages) {
    if (!prompt.empty()) prompt += "\n\n";
    prompt += message.content;
  }
  boost::json::object body;
  body["model"] = endpoint.model;
  body["prompt"] = prompt;
  body["stream"] = stream;
  if (stream && endpoint.include_usage) body["stream_options"] = boost::json::object{{"include_usage", true}};
  if (request.max_tokens > 0) body["max_tokens"] = request.max_tokens;
  if (request.seed) body["seed"] = *request.seed;
  if (request.temperature) body["temperature"] = *request.temperature;
  return boost::json::serialize(body);
}

}  // namespace llmbench::harness
