#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace llmbench::harness {

// Incremental newline-delimited JSON splitter (Ollama streams): one callback per non-blank
// line, lines split anywhere across feed() calls, a trailing CR (CRLF) stripped. It does not
// parse the JSON; ChunkDecoder does. Not thread-safe; one parser per stream.
class NdjsonParser {
 public:
  static constexpr std::size_t kDefaultMaxLineBytes = 16 * 1024 * 1024;
  explicit NdjsonParser(std::size_t max_line_bytes = kDefaultMaxLineBytes);

  // Returns false (and stops) when a line exceeds the limit or on_line returns false.
  bool feed(std::string_view bytes, const std::function<bool(std::string_view line)>& on_line);

  // True when an unterminated line is buffered. A stream that ends with one still ended
  // early unless that line was complete JSON; flush() hands it over.
  bool has_partial_line() const noexcept;
  // Passes a buffered final line without '\n' (a server may omit the last newline).
  bool flush(const std::function<bool(std::string_view line)>& on_line);
  void reset();

 private:
  std::size_t max_line_bytes_;
  std::string line_;
};

}  // namespace llmbench::harness
