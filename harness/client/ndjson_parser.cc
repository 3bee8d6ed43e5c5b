#include "harness/client/ndjson_parser.h"

namespace llmbench::harness {

namespace {

std::string_view trim_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return line;
}

}  // namespace

NdjsonParser::NdjsonParser(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

void NdjsonParser::reset() { line_.clear(); }

bool NdjsonParser::has_partial_line() const noexcept { return !trim_line(line_).empty(); }

bool NdjsonParser::feed(std::string_view bytes, const std::function<bool(std::string_view line)>& on_line) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) {
      if (line_.size() + (bytes.size() - pos) > max_line_bytes_) return false;
      line_.append(bytes.substr(pos));
      return true;
    }
    std::string_view line = bytes.substr(pos, eol - pos);
    if (!line_.empty()) {
      if (line_.size() + line.size() > max_line_bytes_) return false;
      line_.append(line);
      line = line_;
    }
    pos = eol + 1;
    line = trim_line(line);
    const bool ok = line.empty() || on_line(line);
    line_.clear();
    if (!ok) return false;
  }
  return true;
}

bool NdjsonParser::flush(const std::function<bool(std::string_view line)>& on_line) {
  const std::string_view line = trim_line(line_);
  bool ok = true;
  if (!line.empty()) ok = on_line(line);
  line_.clear();
  return ok;
}

}  // namespace llmbench::harness
