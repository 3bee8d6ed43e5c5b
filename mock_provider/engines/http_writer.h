#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mock_provider/provider.h"

namespace llmbench::mock {

// The bytes an engine writes for an exchange, the same for both engines; the engines only
// wait, and write them to their sockets.

// "HTTP/1.1 200 OK\r\n...\r\n" for a head; `content_length` < 0 means chunked.
std::string serialize_head(const ResponseHead& head, long long content_length, bool keep_alive);

// The chunked transfer-encoding frame of `bytes` (empty input gives an empty frame).
void append_chunk(std::string& out, std::string_view bytes);

// Paces a chunked body once its head is out: holds the next piece, and at each wake hands out
// every piece already due in one batch, so a stream that fell behind catches up in one write
// instead of queueing one timer per late token.
class BodyPacer {
 public:
  explicit BodyPacer(Exchange& exchange) : exchange_(exchange), pending_(exchange.next_piece()) {}
  bool done() const { return !pending_; }
  std::int64_t due_ns() const { return pending_->due_ns; }  // of the next piece; requires !done()
  // Appends every piece due by `now_ns` to `out` (as chunks, and the last chunk after the end,
  // when `frame_chunks`); returns how the last piece taken ends (`more` if none was due).
  BodyPiece::Then take_due(std::int64_t now_ns, std::string& out, bool frame_chunks);

 private:
  Exchange& exchange_;
  std::optional<BodyPiece> pending_;
};

}  // namespace llmbench::mock
