#include "harness/client/api_flavor.h"

#include <boost/json.hpp>

#include "harness/client/anthropic_wire.h"
#include "harness/client/completions_wire.h"
#include "harness/client/responses_wire.h"
#include "harness/client/request_fields.h"

namespace llmbench::harness {

std::string request_url(const Endpoint& endpoint) {
  std::string base = endpoint.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (endpoint.flavor == ApiFlavor::ollama_chat) return base + "/api/chat";
  std::string_view path = "/chat/completions";
  if (endpoint.flavor == ApiFlavor::openai_completions) path = "/completions";
  if (endpoint.flavor == ApiFlavor::anthropic_messages) path = "/messages";
  if (endpoint.flavor == ApiFlavor::openai_responses) path = "/responses";
  if (!base.ends_with("/v1")) base += "/v1";
  return base.append(path);
}

std::string_view stream_terminator(ApiFlavor flavor) noexcept {
  switch (flavor) {
    case ApiFlavor::ollama_chat: return "a done:true line";
    case ApiFlavor::anthropic_messages: return "event: message_stop";
    case ApiFlavor::openai_responses: return "event: response.completed";
    default: return "data: [DONE]";
  }
}

std::string_view completion_location(ApiFlavor flavor, bool stream) noexcept {
  switch (flavor) {
    case ApiFlavor::ollama_chat: return stream ? "no line with a message" : "no message or response";
    case ApiFlavor::openai_completions: return "no choices[0].text";
    case ApiFlavor::anthropic_messages: return stream ? "no message_start event" : "no message with content";
    case ApiFlavor::openai_responses: return stream ? "no response.completed with output" : "no response output";
    default: return stream ? "no chunk with choices[0].delta" : "no choices[0].message";
  }
}

std::optional<std::string> base_url_without_endpoint_path(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  // Longest first: /chat/completions also ends in /completions.
  static constexpr std::string_view kEndpointPaths[] = {"/chat/completions", "/completions", "/api/chat",
                                                        "/api/generate", "/messages", "/responses"};
  for (std::string_view path : kEndpointPaths) {
    if (url.size() > path.size() && url.ends_with(path)) {
      std::string_view base = url.substr(0, url.size() - path.size());
      if (base.ends_with("/") || base.ends_with(":")) return std::nullopt;  // "http://" + path: no host
      return std::string(base);
    }
  }
  return std::nullopt;
}

namespace {

boost::json::array messages_json(const ChatRequest& request) {
  boost::json::array messages;
  messages.reserve(request.messages.size());
  for (const ChatMessage& message : request.messages) {
    messages.push_back(boost::json::object{{"role", message.role}, {"content", message.content}});
  }
  return messages;
}

// OpenAI's request fields, the same for /v1/chat/completions and /v1/completions (vLLM takes
// its min_tokens and ignore_eos extensions on both).
void add_openai_fields(boost::json::object& body, const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  if (stream && endpoint.include_usage) body["stream_options"] = boost::json::object{{"include_usage", true}};
  if (request.max_tokens > 0) body["max_tokens"] = request.max_tokens;
  if (request.seed) body["seed"] = *request.seed;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.top_p) body["top_p"] = *request.top_p;
  if (request.min_tokens > 0) body["min_tokens"] = request.min_tokens;
  if (request.ignore_eos) body["ignore_eos"] = *request.ignore_eos;
}

// /v1/chat/completions and Ollama's /api/chat: the messages as they are.
boost::json::object chat_body(const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  boost::json::object body;
  body["model"] = endpoint.model;
  body["messages"] = messages_json(request);
  body["stream"] = stream;
  if (endpoint.flavor == ApiFlavor::openai_chat) {
    add_openai_fields(body, endpoint, request, stream);
    return body;
  }
  boost::json::object options;
  if (request.max_tokens > 0) options["num_predict"] = request.max_tokens;
  if (request.seed) options["seed"] = *request.seed;
  if (request.temperature) options["temperature"] = *request.temperature;
  if (request.top_p) options["top_p"] = *request.top_p;
  if (!options.empty()) body["options"] = std::move(options);
  return body;
}

}  // namespace

std::string build_request_body(const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  boost::json::object body;
  switch (endpoint.flavor) {
    case ApiFlavor::openai_completions:
      body = completions_body(endpoint, request, stream);
      add_openai_fields(body, endpoint, request, stream);
      break;
    case ApiFlavor::anthropic_messages: body = anthropic_body(endpoint, request, stream); break;
    case ApiFlavor::openai_responses: body = responses_body(endpoint, request, stream); break;
    case ApiFlavor::openai_chat:
    case ApiFlavor::ollama_chat: body = chat_body(endpoint, request, stream); break;
  }
  // Every flavour's body goes through the same last step, built once and serialized once.
  apply_extra_body(body, request);
  return boost::json::serialize(body);
}

}  // namespace llmbench::harness
