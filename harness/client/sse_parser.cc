#include "harness/client/sse_parser.h"

#include <cstring>

namespace llmbench::harness {

namespace {

// The first CR or LF at or after `pos`. Not string_view::find_first_of("\r\n"): libstdc++
// runs a memchr over the two needles for every byte of the haystack, which was the client's
// single hottest function; two vectorised memchr calls per line are an order cheaper.
std::size_t find_line_end(std::string_view bytes, std::size_t pos) {
  const char* begin = bytes.data() + pos;
  const std::size_t size = bytes.size() - pos;
  const auto* lf = static_cast<const char*>(std::memchr(begin, '\n', size));
  const std::size_t before_lf = lf != nullptr ? static_cast<std::size_t>(lf - begin) : size;
  if (const auto* cr = static_cast<const char*>(std::memchr(begin, '\r', before_lf))) {
    return pos + static_cast<std::size_t>(cr - begin);
  }
  return lf != nullptr ? pos + before_lf : std::string_view::npos;
}

}  // namespace

SseParser::SseParser(std::size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

void SseParser::reset() {
  line_.clear();
  data_.clear();
  event_.clear();
  has_data_ = false;
  after_cr_ = false;
}

bool SseParser::has_partial_event() const noexcept { return !line_.empty() || has_data_ || !event_.empty(); }

bool SseParser::feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event) {
  // An empty read carries no information; returning early keeps a pending CR's state, so a
  // CRLF split as "\r", "", "\n" is still one line end (found by fuzz_sse_parser).
  if (bytes.empty()) return true;
  std::size_t pos = 0;
  if (after_cr_ && bytes.front() == '\n') pos = 1;  // CRLF split across reads
  after_cr_ = false;
  while (pos < bytes.size()) {
    const std::size_t eol = find_line_end(bytes, pos);
    if (eol == std::string_view::npos) {
      if (line_.size() + (bytes.size() - pos) + data_.size() > max_event_bytes_) return false;
      line_.append(bytes.substr(pos));
      return true;
    }
    std::string_view line = bytes.substr(pos, eol - pos);
    if (!line_.empty()) {
      if (line_.size() + line.size() + data_.size() > max_event_bytes_) return false;
      line_.append(line);
      line = line_;
    }
    pos = eol + 1;
    if (bytes[eol] == '\r') {
      if (pos < bytes.size()) {
        if (bytes[pos] == '\n') ++pos;
      } else {
        after_cr_ = true;
      }
    }
    const bool ok = process_line(line, on_event);
    line_.clear();
    if (!ok) return false;
  }
  return true;
}

bool SseParser::process_line(std::string_view line, const std::function<bool(const SseEvent&)>& on_event) {
  if (line.empty()) {
    bool keep_going = true;
    if (has_data_) keep_going = on_event(SseEvent{event_, data_});
    data_.clear();
    event_.clear();
    has_data_ = false;
    return keep_going;
  }
  if (line.front() == ':') return true;  // comment, e.g. ": keep-alive"
  std::string_view field = line;
  std::string_view value;
  if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) return false;
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    event_.assign(value);
  }
  return true;
}

}  // namespace llmbench::harness
