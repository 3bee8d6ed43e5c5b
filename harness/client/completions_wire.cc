#include "harness/client/completions_wire.h"

#include <boost/json.hpp>

namespace llmbench::harness {

boost::json::object completions_body(const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  std::string prompt;
  for (const ChatMessage& message : request.messages) {
    if (!prompt.empty()) prompt += "\n\n";
    prompt += message.content;
  }
  boost::json::object body;
  body["model"] = endpoint.model;
  body["prompt"] = prompt;
  body["stream"] = stream;
  return body;
}

}  // namespace llmbench::harness
