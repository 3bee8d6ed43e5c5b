#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

#include "harness/client/endpoint.h"

namespace llmbench::harness {

// What every client of one Endpoint computes once: the request URL and the Authorization
// header. The key lives only in memory here; redact() scrubs it from any text that leaves
// the client (server error messages may echo it).
class ClientContext {
 public:
  // Reads the key from the environment variable Endpoint::api_key_env names; throws
  // llmbench::InputError naming the variable (never a value) when it is unset or empty.
  // Also initialises libcurl once per process.
  explicit ClientContext(const Endpoint& endpoint);

  const Endpoint& endpoint() const noexcept { return endpoint_; }
  const std::string& url() const noexcept { return url_; }
  // "Authorization: Bearer ..." or empty.
  const std::string& authorization_header() const noexcept { return authorization_header_; }
  std::string redact(std::string_view text) const;

  // The request headers every request of this endpoint sends (Content-Type, Accept, Expect,
  // Authorization, Endpoint::headers), built once so a request adds no list of its own
  // unless it has extra headers. Owned here; curl only reads the list.
  curl_slist* common_headers(bool stream) const noexcept {
    return stream ? stream_headers_.get() : invoke_headers_.get();
  }

 private:
  struct SlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
  };
  using Slist = std::unique_ptr<curl_slist, SlistDeleter>;
  Slist build_headers(bool stream) const;

  Endpoint endpoint_;
  std::string url_;
  std::string api_key_;
  std::string authorization_header_;
  Slist invoke_headers_;
  Slist stream_headers_;
};

// Appends one "Name: value" line to a curl header list; throws std::bad_alloc when curl cannot.
void append_header(curl_slist*& list, const std::string& line);

// curl_global_init exactly once per process, thread-safe.
void ensure_curl_initialized();

}  // namespace llmbench::harness
