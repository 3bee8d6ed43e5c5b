#include "harness/client/anthropic_wire.h"

#include <boost/json.hpp>

#include "harness/client/json_fields.h"

namespace llmbench::harness {

namespace json = boost::json;
using json_fields::array_at;
using json_fields::count_at;
using json_fields::object_at;
using json_fields::string_at;

boost::json::object anthropic_body(const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  std::string system;
  json::array messages;
  messages.reserve(request.messages.size());
  for (const ChatMessage& message : request.messages) {
    if (message.role == "system") {
      if (!system.empty()) system += "\n\n";
      system += message.content;
    } else {
      messages.push_back(json::object{{"role", message.role}, {"content", message.content}});
    }
  }
  json::object body;
  body["model"] = endpoint.model;
  body["max_tokens"] = request.max_tokens > 0 ? request.max_tokens : kAnthropicDefaultMaxTokens;
  if (!system.empty()) body["system"] = system;
  body["messages"] = std::move(messages);
  body["stream"] = stream;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.top_p) body["top_p"] = *request.top_p;
  return body;
}

namespace {

void read_usage(const json::object& usage, DecodedChunk& out) {
  out.input_tokens = count_at(usage, "input_tokens");
  if (const auto output = count_at(usage, "output_tokens")) {
    out.has_usage = true;
    out.completion_tokens = *output;
    out.prompt_tokens = out.input_tokens.value_or(0);
  }
}

}  // namespace

void read_anthropic_event(const json::object& event, DecodedChunk& out) {
  const std::string_view type = string_at(event, "type");
  if (type == "content_block_delta") {
    if (const json::object* delta = object_at(event, "delta")) {
      const std::string_view kind = string_at(*delta, "type");
      if (kind == "text_delta") out.content = string_at(*delta, "text");
      if (kind == "thinking_delta") out.reasoning = string_at(*delta, "thinking");
    }
  } else if (type == "message_start") {
    if (const json::object* message = object_at(event, "message")) {
      out.has_completion = true;
      // Its usage.output_tokens is a placeholder (1): only the input count is taken here.
      if (const json::object* usage = object_at(*message, "usage")) out.input_tokens = count_at(*usage, "input_tokens");
    }
  } else if (type == "message_delta") {
    if (const json::object* delta = object_at(event, "delta")) out.finish_reason = string_at(*delta, "stop_reason");
    if (const json::object* usage = object_at(event, "usage")) read_usage(*usage, out);
  } else if (type == "message_stop") {
    out.done = true;
  }
}

void read_anthropic_message(const json::object& message, DecodedChunk& out) {
  const json::array* content = array_at(message, "content");
  if (content == nullptr || string_at(message, "type") != "message") return;
  out.has_completion = true;
  for (const json::value& block : *content) {
    if (!block.is_object()) continue;
    const std::string_view kind = string_at(block.get_object(), "type");
    if (kind == "text" && out.content.empty()) out.content = string_at(block.get_object(), "text");
    if (kind == "thinking" && out.reasoning.empty()) out.reasoning = string_at(block.get_object(), "thinking");
  }
  out.finish_reason = string_at(message, "stop_reason");
  if (const json::object* usage = object_at(message, "usage")) read_usage(*usage, out);
}

}  // namespace llmbench::harness
