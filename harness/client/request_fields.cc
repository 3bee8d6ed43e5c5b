#include "harness/client/request_fields.h"

#include <algorithm>
#include <boost/json.hpp>

#include "harness/client/chat_request.h"

namespace llmbench::harness {

void deep_merge(boost::json::object& base, const boost::json::object& over) {
  for (const auto& [key, value] : over) {
    boost::json::value* mine = base.if_contains(key);
    if (mine != nullptr && mine->is_object() && value.is_object()) {
      deep_merge(mine->as_object(), value.as_object());
    } else {
      base[key] = value;
    }
  }
}

void apply_defaults(ChatRequest& request, const RequestFields& fields) {
  if (request.max_tokens == 0) request.max_tokens = fields.max_tokens;
  if (request.min_tokens == 0) request.min_tokens = fields.min_tokens;
  if (!request.ignore_eos) request.ignore_eos = fields.ignore_eos;
  if (!request.temperature) request.temperature = fields.temperature;
  if (!request.top_p) request.top_p = fields.top_p;
  if (!request.seed) request.seed = fields.seed;
  if (fields.extra_body == nullptr) return;
  if (request.extra_body == nullptr) {
    request.extra_body = fields.extra_body;
    return;
  }
  auto merged = std::make_shared<boost::json::object>(*fields.extra_body);
  deep_merge(*merged, *request.extra_body);
  request.extra_body = std::move(merged);
}

void apply_extra_body(boost::json::object& body, const ChatRequest& request) {
  if (request.extra_body != nullptr) deep_merge(body, *request.extra_body);
}

std::uint32_t required_output_tokens(const ChatRequest& request) noexcept {
  if (request.ignore_eos.value_or(false) && request.max_tokens > 0) return request.max_tokens;
  if (request.max_tokens > 0) return std::min(request.min_tokens, request.max_tokens);
  return request.min_tokens;
}

}  // namespace llmbench::harness
