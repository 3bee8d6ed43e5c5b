#include "harness/client/chunk_decoder.h"

#include <boost/json.hpp>

#include "harness/client/anthropic_wire.h"
#include "harness/client/json_fields.h"
#include "harness/client/responses_wire.h"

namespace llmbench::harness {

namespace json = boost::json;

namespace {

using json_fields::count_at;
using json_fields::object_at;
using json_fields::string_at;

// A truthy "error" member: an object (OpenAI: {"message",...}) or a string (Ollama).
bool read_error(const json::object& root, DecodedChunk& out) {
  const json::value* error = root.if_contains("error");
  if (error == nullptr || error->is_null()) return false;
  out.is_error = true;
  if (error->is_string()) {
    out.error_message = {error->get_string().data(), error->get_string().size()};
  } else if (error->is_object()) {
    out.error_message = string_at(error->get_object(), "message");
  }
  return true;
}

void read_openai_usage(const json::object& root, DecodedChunk& out) {
  if (const json::object* usage = object_at(root, "usage")) {
    const auto prompt = count_at(*usage, "prompt_tokens");
    const auto completion = count_at(*usage, "completion_tokens");
    if (completion) {
      out.has_usage = true;
      out.completion_tokens = *completion;
      out.prompt_tokens = prompt.value_or(0);
      if (const json::object* details = object_at(*usage, "completion_tokens_details")) {
        out.reasoning_tokens = count_at(*details, "reasoning_tokens");
      }
    }
  }
}

// vLLM and DeepSeek name the field reasoning_content, OpenRouter and newer vLLM reasoning.
std::string_view reasoning_of(const json::object& message) {
  const std::string_view content = string_at(message, "reasoning_content");
  return content.empty() ? string_at(message, "reasoning") : content;
}

// The first choice's `member` object ("delta" in a chunk, "message" in a whole response).
void read_openai_choice(const json::object& root, std::string_view member, DecodedChunk& out) {
  const json::value* choices = root.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->get_array().empty()) return;
  const json::value& first = choices->get_array().front();
  if (!first.is_object()) return;
  const json::object& choice = first.get_object();
  out.finish_reason = string_at(choice, "finish_reason");
  if (const json::object* delta = object_at(choice, member)) {
    out.has_completion = true;
    out.content = string_at(*delta, "content");
    out.reasoning = reasoning_of(*delta);
  } else if (const json::value* text = choice.if_contains("text"); text != nullptr && text->is_string()) {
    out.has_completion = true;
    out.content = {text->get_string().data(), text->get_string().size()};
  }
}

void read_ollama(const json::object& root, DecodedChunk& out) {
  if (const json::object* message = object_at(root, "message")) {
    out.has_completion = true;
    out.content = string_at(*message, "content");
    out.reasoning = string_at(*message, "thinking");
  } else if (const json::value* response = root.if_contains("response");
             response != nullptr && response->is_string()) {
    out.has_completion = true;  // /api/generate shape
    out.content = {response->get_string().data(), response->get_string().size()};
    out.reasoning = string_at(root, "thinking");
  }
  if (const json::value* done = root.if_contains("done"); done != nullptr && done->is_bool()) {
    out.done = done->get_bool();
  }
  out.finish_reason = string_at(root, "done_reason");
  if (const auto eval = count_at(root, "eval_count")) {
    out.has_usage = true;
    out.completion_tokens = *eval;
    out.prompt_tokens = count_at(root, "prompt_eval_count").value_or(0);
  }
}

}  // namespace

ChunkDecoder::ChunkDecoder()
    : parser_(json::storage_ptr(), json::parse_options{}) {}

const json::object* ChunkDecoder::parse_object(std::string_view text) {
  // The previous chunk's value lives in resource_: drop it, then start a fresh resource on the
  // inline buffer. Not monotonic_resource::release(): in Boost 1.81 it keeps growing the next
  // block size, so a long-lived decoder's allocations doubled on every chunk over 4 KiB until
  // bad_alloc (found by fuzz_chunk_decoder).
  value_.reset();
  parser_.reset();  // let go of the old resource before it is destroyed
  resource_.emplace(initial_buffer_, sizeof(initial_buffer_));
  parser_.reset(json::storage_ptr(&*resource_));
  json::error_code ec;
  parser_.write(text.data(), text.size(), ec);
  if (ec) return nullptr;
  // Move-constructed, so the value stays in resource_. Assigning it to a value with the
  // default storage would deep-copy it with malloc on every chunk.
  value_.emplace(parser_.release());
  return value_->is_object() ? &value_->get_object() : nullptr;
}

std::optional<DecodedChunk> ChunkDecoder::decode_chunk(ApiFlavor flavor, std::string_view json_text) {
  const json::object* root = parse_object(json_text);
  if (root == nullptr) return std::nullopt;
  DecodedChunk out;
  if (read_error(*root, out)) return out;
  switch (flavor) {
    case ApiFlavor::openai_chat:
    case ApiFlavor::openai_completions:
      read_openai_choice(*root, "delta", out);
      read_openai_usage(*root, out);
      break;
    case ApiFlavor::ollama_chat: read_ollama(*root, out); break;
    case ApiFlavor::anthropic_messages: read_anthropic_event(*root, out); break;
    case ApiFlavor::openai_responses: read_responses_event(*root, out); break;
  }
  return out;
}

std::optional<DecodedChunk> ChunkDecoder::decode_response(ApiFlavor flavor, std::string_view json_text) {
  const json::object* root = parse_object(json_text);
  if (root == nullptr) return std::nullopt;
  DecodedChunk out;
  if (read_error(*root, out)) return out;
  switch (flavor) {
    case ApiFlavor::openai_chat:
    case ApiFlavor::openai_completions:
      read_openai_choice(*root, "message", out);
      read_openai_usage(*root, out);
      break;
    case ApiFlavor::ollama_chat: read_ollama(*root, out); break;
    case ApiFlavor::anthropic_messages: read_anthropic_message(*root, out); break;
    case ApiFlavor::openai_responses: read_responses_response(*root, out); break;
  }
  return out;
}

}  // namespace llmbench::harness
