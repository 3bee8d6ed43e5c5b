#include "harness/client/sse_parser.h"

namespace llmbench::harness {

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
    const std::size_t eol = bytes.find_first_of("\r\n", pos);
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
