#include "harness/client/responses_wire.h"

#include <boost/json.hpp>

#include "harness/client/json_fields.h"

namespace llmbench::harness {

namespace json = boost::json;
using json_fields::array_at;
using json_fields::count_at;
using json_fields::object_at;
using json_fields::string_at;

boost::json::object responses_body(const Endpoint& endpoint, const ChatRequest& request, bool stream) {
  json::array input;
  input.reserve(request.messages.size());
  for (const ChatMessage& message : request.messages) {
    input.push_back(json::object{{"role", message.role}, {"content", message.content}});
  }
  json::object body;
  body["model"] = endpoint.model;
  body["input"] = std::move(input);
  body["stream"] = stream;
  if (request.max_tokens > 0) body["max_output_tokens"] = request.max_tokens;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.top_p) body["top_p"] = *request.top_p;
  return body;
}

namespace {

// The first text of a content (or summary) array's parts.
std::string_view first_text(const json::object& item, std::string_view key) {
  if (const json::array* parts = array_at(item, key)) {
    for (const json::value& part : *parts) {
      if (part.is_object()) {
        if (const std::string_view text = string_at(part.get_object(), "text"); !text.empty()) return text;
      }
    }
  }
  return {};
}

void read_error_object(const json::object& response, DecodedChunk& out) {
  out.is_error = true;
  if (const json::object* error = object_at(response, "error")) out.error_message = string_at(*error, "message");
  if (out.error_message.empty()) out.error_message = "response failed";
}

}  // namespace

void read_responses_response(const json::object& response, DecodedChunk& out) {
  const std::string_view status = string_at(response, "status");
  if (status == "failed") return read_error_object(response, out);
  const json::array* output = array_at(response, "output");
  if (output == nullptr) return;
  out.has_completion = true;
  for (const json::value& value : *output) {
    if (!value.is_object()) continue;
    const json::object& item = value.get_object();
    const std::string_view type = string_at(item, "type");
    if (type == "message" && out.content.empty()) out.content = first_text(item, "content");
    if (type == "reasoning" && out.reasoning.empty()) {
      out.reasoning = first_text(item, "content");
      if (out.reasoning.empty()) out.reasoning = first_text(item, "summary");
    }
  }
  out.finish_reason = status;
  if (const json::object* details = object_at(response, "incomplete_details")) {
    if (const std::string_view reason = string_at(*details, "reason"); !reason.empty()) out.finish_reason = reason;
  }
  if (const json::object* usage = object_at(response, "usage")) {
    if (const auto output_tokens = count_at(*usage, "output_tokens")) {
      out.has_usage = true;
      out.completion_tokens = *output_tokens;
      out.prompt_tokens = count_at(*usage, "input_tokens").value_or(0);
      if (const json::object* output_details = object_at(*usage, "output_tokens_details")) {
        out.reasoning_tokens = count_at(*output_details, "reasoning_tokens");
      }
    }
  }
}

void read_responses_event(const json::object& event, DecodedChunk& out) {
  const std::string_view type = string_at(event, "type");
  if (type == "response.output_text.delta") {
    out.content = string_at(event, "delta");
  } else if (type == "response.reasoning_text.delta" || type == "response.reasoning_summary_text.delta") {
    out.reasoning = string_at(event, "delta");
  } else if (type == "response.completed" || type == "response.incomplete") {
    out.done = true;
    if (const json::object* response = object_at(event, "response")) {
      // The final object repeats the streamed text: only its metadata is read here.
      DecodedChunk final_response;
      read_responses_response(*response, final_response);
      out.has_completion = final_response.has_completion;
      out.finish_reason = final_response.finish_reason;
      out.has_usage = final_response.has_usage;
      out.completion_tokens = final_response.completion_tokens;
      out.prompt_tokens = final_response.prompt_tokens;
      out.reasoning_tokens = final_response.reasoning_tokens;
    }
  } else if (type == "response.failed") {
    const json::object* response = object_at(event, "response");
    if (response != nullptr) {
      read_error_object(*response, out);
    } else {
      out.is_error = true;
      out.error_message = "response failed";
    }
  } else if (type == "error") {
    out.is_error = true;
    out.error_message = string_at(event, "message");
  }
}

}  // namespace llmbench::harness
