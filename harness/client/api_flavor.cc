#include "harness/client/api_flavor.h"

#include <boost/json.hpp>

#include "harness/client/request_fields.h"

namespace llmbench::harness {

std::string request_url(const Endpoint& endpoint) {
  std::string base = endpoint.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (endpoint.flavor == ApiFlavor::ollama_chat) return base + "/api/chat";
  if (base.ends_with("/v1")) return base + "/chat/completions";
  return base + "/v1/chat/completions";
}

std::optional<std::string> base_url_without_endpoint_path(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  // Longest first: /chat/completions also ends in /completions.
  static constexpr std::string_view kEndpointPaths[] = {"/chat/completions", "/completions", "/api/chat",
                                                        "/api/generate", "/messages"};
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

}  // namespace

std::string build_request_body(const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  boost::json::object body;
  body["model"] = endpoint.model;
  body["messages"] = messages_json(request);
  body["stream"] = stream;
  if (endpoint.flavor == ApiFlavor::openai_chat) {
    if (stream && endpoint.include_usage)
      body["stream_options"] = boost::json::object{{"include_usage", true}};
    if (request.max_tokens > 0) body["max_tokens"] = request.max_tokens;
    if (request.seed) body["seed"] = *request.seed;
    if (request.temperature) body["temperature"] = *request.temperature;
    if (request.top_p) body["top_p"] = *request.top_p;
    if (request.min_tokens > 0) body["min_tokens"] = request.min_tokens;
    if (request.ignore_eos) body["ignore_eos"] = *request.ignore_eos;
  } else {
    boost::json::object options;
    if (request.max_tokens > 0) options["num_predict"] = request.max_tokens;
    if (request.seed) options["seed"] = *request.seed;
    if (request.temperature) options["temperature"] = *request.temperature;
    if (request.top_p) options["top_p"] = *request.top_p;
    if (!options.empty()) body["options"] = std::move(options);
  }
  apply_extra_body(body, request);
  return boost::json::serialize(body);
}

}  // namespace llmbench::harness
