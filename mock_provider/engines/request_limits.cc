#include "mock_provider/engines/request_limits.h"

#include <fmt/format.h>

namespace llmbench::mock {

std::unique_ptr<Exchange> read_failure_response(Provider& provider, ReadFailure failure, std::string_view method,
                                                std::string_view target, std::int64_t now_ns, int status,
                                                std::string_view detail) {
  switch (failure) {
    case ReadFailure::body_too_large: {
      IncomingRequest in;
      in.method = method;
      in.target = target;
      in.body_too_large = true;
      return provider.handle(in, now_ns);
    }
    case ReadFailure::head_too_large:
      return provider.error_response(431, "Request header fields too large.", "request_header_too_large", now_ns);
    case ReadFailure::malformed: break;
  }
  return provider.error_response(
      status, detail.empty() ? "Malformed HTTP request." : fmt::format("Malformed HTTP request: {}.", detail),
      "malformed_request", now_ns);
}

bool RequestBudget::account(const char* bytes, std::size_t count) {
  std::size_t i = 0;
  for (; in_head_ && i < count; ++i) {
    if (++head_bytes_ > kRequestHeadLimitBytes) {
      head_too_large_ = true;
      return false;
    }
    if (bytes[i] == '\n') {
      if (line_bytes_ == 0 && head_bytes_ > 2) in_head_ = false;  // an empty line (after the request line)
      line_bytes_ = 0;
    } else if (bytes[i] != '\r') {
      ++line_bytes_;
    }
  }
  body_bytes_ += count - i;
  body_too_large_ = body_bytes_ > body_budget_;
  return !body_too_large_;
}

}  // namespace llmbench::mock
