#include "harness/client/client_context.h"

#include <curl/curl.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <stdexcept>

#include "common/input_error.h"
#include "harness/client/anthropic_wire.h"
#include "harness/client/api_flavor.h"

namespace llmbench::harness {

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

ClientContext::ClientContext(const Endpoint& endpoint) : endpoint_(endpoint), url_(request_url(endpoint)) {
  ensure_curl_initialized();
  if (endpoint_.base_url.empty()) throw InputError("endpoint", "base_url", "is empty");
  if (!endpoint_.api_key_env.empty()) {
    const char* value = std::getenv(endpoint_.api_key_env.c_str());
    if (value == nullptr || *value == '\0') {
      throw InputError("endpoint", "api_key_env",
                       "environment variable " + endpoint_.api_key_env + " is not set or empty");
    }
    api_key_ = value;
    // Anthropic's key header; every other API takes a bearer token.
    authorization_header_ = endpoint_.flavor == ApiFlavor::anthropic_messages ? "x-api-key: " + api_key_
                                                                              : "Authorization: Bearer " + api_key_;
  }
  invoke_headers_ = build_headers(false);
  stream_headers_ = build_headers(true);
}

void append_header(curl_slist*& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list, line.c_str());
  if (next == nullptr) throw std::bad_alloc();
  list = next;
}

ClientContext::Slist ClientContext::build_headers(bool stream) const {
  curl_slist* list = nullptr;
  try {
    append_header(list, "Content-Type: application/json");
    append_header(list, stream && streams_sse(endpoint_.flavor) ? "Accept: text/event-stream"
                                                                : "Accept: application/json");
    if (endpoint_.flavor == ApiFlavor::anthropic_messages) {
      append_header(list, "anthropic-version: " + std::string(kAnthropicVersion));
    }
    append_header(list, "Expect:");  // no 100-continue round trip for large prompts
    if (!authorization_header_.empty()) append_header(list, authorization_header_);
    for (const auto& [name, value] : endpoint_.headers) append_header(list, name + ": " + value);
  } catch (...) {
    curl_slist_free_all(list);
    throw;
  }
  return Slist(list);
}

std::string ClientContext::redact(std::string_view text) const {
  std::string out(text);
  if (api_key_.empty()) return out;
  for (std::size_t pos = out.find(api_key_); pos != std::string::npos; pos = out.find(api_key_, pos + 3)) {
    out.replace(pos, api_key_.size(), "***");
  }
  return out;
}

}  // namespace llmbench::harness
