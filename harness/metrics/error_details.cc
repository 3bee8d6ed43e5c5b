#include "harness/metrics/error_details.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "common/input_error.h"
#include "harness/metrics/json_fields.h"

namespace llmbench::metrics {

namespace jf = json_fields;

namespace {

// `text` cut to at most `max_bytes` without splitting a UTF-8 sequence; "…" marks the cut.
std::string bounded(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  std::size_t cut = max_bytes - kEllipsis.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + std::string(kEllipsis);
}

// Adds to the message with the same (status, text), else appends while there is room.
void add_message(std::vector<ErrorMessage>& messages, const ErrorMessage& message) {
  auto same = std::find_if(messages.begin(), messages.end(), [&](const ErrorMessage& x) {
    return x.http_status == message.http_status && x.text == message.text;
  });
  if (same != messages.end()) {
    same->count += message.count;
  } else if (messages.size() < ErrorKindDetail::kMaxMessages) {
    messages.push_back(message);
  }
}

}  // namespace

std::string_view strip_status_prefix(std::string_view message, int http_status) {
  if (http_status == 0) return message;
  const std::string prefix = "HTTP " + std::to_string(http_status);
  if (!message.starts_with(prefix)) return message;
  message.remove_prefix(prefix.size());
  if (message.starts_with(": ")) message.remove_prefix(2);
  return message;
}

void ErrorKindDetail::add(int http_status, std::string_view text, std::uint64_t count) {
  if (count == 0) return;
  if (http_status != 0) http_statuses[http_status] += count;
  if (!text.empty()) add_message(messages, {http_status, bounded(text, kMaxMessageChars), count});
}

bool ErrorDetails::empty() const noexcept {
  return std::all_of(by_kind.begin(), by_kind.end(), [](const ErrorKindDetail& d) { return d.empty(); });
}

void ErrorDetails::add(harness::ErrorKind kind, int http_status, std::string_view message) {
  if (kind == harness::ErrorKind::none) return;
  by_kind[static_cast<std::size_t>(kind)].add(http_status, strip_status_prefix(message, http_status));
}

void ErrorDetails::merge(const ErrorDetails& other) {
  for (std::size_t k = 0; k < by_kind.size(); ++k) {
    ErrorKindDetail& mine = by_kind[k];
    const ErrorKindDetail& theirs = other.by_kind[k];
    // Statuses add; messages union in order (this side's first), bounded like add().
    for (const auto& [status, count] : theirs.http_statuses) mine.http_statuses[status] += count;
    for (const ErrorMessage& m : theirs.messages) add_message(mine.messages, m);
  }
}

boost::json::value ErrorDetails::to_json() const {
  boost::json::object out;
  for (std::size_t k = 1; k < by_kind.size(); ++k) {
    const ErrorKindDetail& d = by_kind[k];
    if (d.empty()) continue;
    boost::json::object statuses;
    for (const auto& [status, count] : d.http_statuses) statuses[std::to_string(status)] = count;
    boost::json::array messages;
    for (const ErrorMessage& m : d.messages) {
      messages.push_back(
          boost::json::object{{"http_status", m.http_status}, {"text", m.text}, {"count", m.count}});
    }
    out[harness::error_kind_name(static_cast<harness::ErrorKind>(k))] =
        boost::json::object{{"http_statuses", std::move(statuses)}, {"messages", std::move(messages)}};
  }
  return out;
}

ErrorDetails ErrorDetails::from_json(const boost::json::value& value, const std::string& where) {
  ErrorDetails details;
  for (const auto& [name, entry] : jf::as_object(value, where)) {
    const auto kind = harness::error_kind_from_name(name);
    if (!kind || *kind == harness::ErrorKind::none)
      throw InputError(where, std::string(name), "unknown error kind");
    const std::string here = where + "." + std::string(name);
    const boost::json::object& o = jf::as_object(entry, here);
    ErrorKindDetail& d = details.by_kind[static_cast<std::size_t>(*kind)];
    for (const auto& [status_text, count] : jf::get_object(o, "http_statuses", here)) {
      int status = 0;
      const auto [end, ec] =
          std::from_chars(status_text.data(), status_text.data() + status_text.size(), status);
      if (ec != std::errc() || end != status_text.data() + status_text.size() || status < 100 ||
          status > 999) {
        throw InputError(here + ".http_statuses", std::string(status_text), "is not an HTTP status code");
      }
      d.http_statuses[status] += jf::to_u64(count, here + ".http_statuses", std::string(status_text));
    }
    const boost::json::array& messages = jf::get_array(o, "messages", here);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const std::string at = here + ".messages[" + std::to_string(i) + "]";
      const boost::json::object& m = jf::as_object(messages[i], at);
      const std::int64_t status = jf::get_i64(m, "http_status", at);
      if (status < 0 || status > 999) throw InputError(at, "http_status", "is not an HTTP status code");
      const std::string text = bounded(jf::get_string(m, "text", at), ErrorKindDetail::kMaxMessageChars);
      const std::uint64_t count = jf::get_u64(m, "count", at);
      // Not add(): the statuses were read above and must not be counted twice.
      add_message(d.messages, {static_cast<int>(status), text, count});
    }
  }
  return details;
}

}  // namespace llmbench::metrics
