#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace llmbench::harness {

// One dispatched Server-Sent Event. Views are valid only during the callback.
struct SseEvent {
  std::string_view event;  // the `event:` field, empty when absent (OpenAI sends none)
  std::string_view data;   // `data:` lines joined with '\n'
};

// Incremental Server-Sent Events parser (WHATWG rules, the framing openai-node and
// openai-python accept): lines end in LF, CRLF or CR, split anywhere across feed() calls;
// ':' lines are comments (keep-alives); several data lines join with '\n'; a blank line
// dispatches; an event with no data line is not dispatched; `id` and `retry` are ignored.
// Not thread-safe; one parser per stream.
class SseParser {
 public:
  // Events larger than this are a protocol error (garbage must not grow memory unbounded).
  static constexpr std::size_t kDefaultMaxEventBytes = 16 * 1024 * 1024;
  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes);

  // Feeds bytes; calls on_event for every event completed by them. Returns false (and stops)
  // when an event exceeds the size limit or on_event returns false.
  bool feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event);

  // True when bytes of an unfinished event are buffered (a stream cut mid-event).
  bool has_partial_event() const noexcept;
  void reset();

 private:
  bool process_line(std::string_view line, const std::function<bool(const SseEvent&)>& on_event);

  std::size_t max_event_bytes_;
  std::string line_;   // bytes of the current, unfinished line
  std::string data_;   // data lines of the current event, joined
  std::string event_;  // event name of the current event
  bool has_data_ = false;
  bool after_cr_ = false;  // the previous byte was CR: an LF right after it ends nothing
};

}  // namespace llmbench::harness
