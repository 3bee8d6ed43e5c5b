#include "mock_provider/engines/http_framing.h"

#include <fmt/format.h>

#include <iterator>

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

namespace {
const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}
}  // namespace

std::string serialize_head(const ResponseHead& head, long long content_length, bool keep_alive) {
  std::string out = fmt::format("HTTP/1.1 {} {}\r\n", head.status, reason_phrase(head.status));
  if (!head.content_type.empty()) fmt::format_to(std::back_inserter(out), "Content-Type: {}\r\n", head.content_type);
  if (content_length < 0) {
    out += "Transfer-Encoding: chunked\r\n";
  } else {
    fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n", content_length);
  }
  for (const auto& [name, value] : head.headers) fmt::format_to(std::back_inserter(out), "{}: {}\r\n", name, value);
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return out;
}

void append_chunk(std::string& out, std::string_view bytes) {
  if (bytes.empty()) return;  // an empty chunk would end the body
  // The size in hex by hand: this runs once per token, and fmt's format-string parsing
  // showed in the profile.
  char size[2 * sizeof(std::size_t)];
  char* begin = std::end(size);
  for (std::size_t n = bytes.size(); n != 0; n >>= 4) *--begin = "0123456789abcdef"[n & 0xf];
  out.append(begin, std::end(size));
  out += "\r\n";
  out += bytes;
  out += "\r\n";
}

BodyPiece::Then BodyPacer::take_due(std::int64_t now_ns, std::string& out, bool frame_chunks) {
  BodyPiece::Then then = BodyPiece::Then::more;
  while (!done_ && pending_.due_ns <= now_ns) {
    if (frame_chunks) {
      append_chunk(out, pending_.bytes);
    } else {
      out += pending_.bytes;
    }
    then = pending_.then;
    if (then == BodyPiece::Then::more) {
      exchange_.next_piece(pending_);
    } else {
      done_ = true;
    }
  }
  if (frame_chunks && then == BodyPiece::Then::end) out += "0\r\n\r\n";
  return then;
}

}  // namespace llmbench::mock
