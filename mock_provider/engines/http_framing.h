#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mock_provider/provider.h"

namespace llmbench::mock {

// HTTP/1.1 as both engines speak it, without the sockets: the limits on a request and the one
// answer each broken limit gets (docs/mock.md "Bad clients"), and the bytes written for an
// exchange. The engines only read, wait, and write these bytes.

// Request line + headers, up to the blank line that ends them.
inline constexpr std::size_t kRequestHeadLimitBytes = 64 * 1024;
// A body may carry chunked-encoding framing on top of MockConfig::max_body_bytes.
inline constexpr std::size_t kBodyFramingSlackBytes = 64 * 1024;

enum class ReadFailure : std::uint8_t { body_too_large, head_too_large, malformed };

// The answer to a request that could not be read whole: 413 through Provider::handle (so the
// route, method and key checks come first and an /api/ route answers in Ollama's shape), 431
// `request_header_too_large`, or `status` `malformed_request` naming `detail` if given.
std::unique_ptr<Exchange> read_failure_response(Provider& provider, ReadFailure failure, std::string_view method,
                                                std::string_view target, std::int64_t now_ns, int status = 400,
                                                std::string_view detail = {});

// Counts the bytes of one request as they are read: the head against kRequestHeadLimitBytes,
// then the body against max_body_bytes + kBodyFramingSlackBytes. Beast's parser enforces the
// same limits for asio; httplib, which reads raw bytes, counts them with this.
class RequestBudget {
 public:
  explicit RequestBudget(std::size_t max_body_bytes) : body_budget_(max_body_bytes + kBodyFramingSlackBytes) {}
  void restart() { *this = RequestBudget(body_budget_ - kBodyFramingSlackBytes); }  // the next request
  bool account(const char* bytes, std::size_t count);  // false once a limit is exceeded
  bool head_too_large() const { return head_too_large_; }
  bool body_too_large() const { return body_too_large_; }

 private:
  std::size_t body_budget_;
  bool in_head_ = true;
  std::size_t head_bytes_ = 0, line_bytes_ = 0, body_bytes_ = 0;
  bool head_too_large_ = false, body_too_large_ = false;
};

// "HTTP/1.1 200 OK\r\n...\r\n" for a head; `content_length` < 0 means chunked.
std::string serialize_head(const ResponseHead& head, long long content_length, bool keep_alive);

// The chunked transfer-encoding frame of `bytes` (empty input gives an empty frame).
void append_chunk(std::string& out, std::string_view bytes);

// Paces a chunked body once its head is out: holds the next piece, and at each wake hands out
// every piece already due in one batch, so a stream that fell behind catches up in one write
// instead of queueing one timer per late token.
class BodyPacer {
 public:
  explicit BodyPacer(Exchange& exchange) : exchange_(exchange) { exchange_.next_piece(pending_); }
  bool done() const { return done_; }
  std::int64_t due_ns() const { return pending_.due_ns; }  // of the next piece; requires !done()
  // Appends every piece due by `now_ns` to `out` (as chunks, and the last chunk after the end,
  // when `frame_chunks`); returns how the last piece taken ends (`more` if none was due).
  BodyPiece::Then take_due(std::int64_t now_ns, std::string& out, bool frame_chunks);

 private:
  Exchange& exchange_;
  BodyPiece pending_;  // reused: its buffer keeps its capacity from token to token
  bool done_ = false;
};

}  // namespace llmbench::mock
