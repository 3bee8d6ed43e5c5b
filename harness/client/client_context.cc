#include "harness/client/client_context.h"

#include <curl/curl.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "common/input_error.h"
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
    authorization_header_ = "Authorization: Bearer " + api_key_;
  }
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
