// SseParser: the events must not depend on where the stream is cut between feed() calls.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/client/sse_parser.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using llmbench::fuzz::fuzz_check;
using llmbench::harness::SseEvent;
using llmbench::harness::SseParser;

struct Event {
  std::string event;
  std::string data;
  friend bool operator==(const Event&, const Event&) = default;
};

struct Outcome {
  std::vector<Event> events;
  bool ok = true;
  bool partial = false;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

// Feeds the pieces in order, stopping at the first feed() that returns false; `stop_after`
// events makes the callback return false at that event (0: never).
Outcome run(SseParser& parser, const std::vector<std::string_view>& pieces, std::size_t stop_after = 0) {
  Outcome out;
  auto on_event = [&](const SseEvent& e) {
    out.events.push_back(Event{std::string(e.event), std::string(e.data)});
    return stop_after == 0 || out.events.size() < stop_after;
  };
  for (std::string_view piece : pieces) {
    if (!parser.feed(piece, on_event)) {
      out.ok = false;
      break;
    }
  }
  out.partial = parser.has_partial_event();
  return out;
}

Outcome run_fresh(const std::vector<std::string_view>& pieces, std::size_t stop_after = 0,
                  std::size_t max_event_bytes = SseParser::kDefaultMaxEventBytes) {
  SseParser parser(max_event_bytes);
  return run(parser, pieces, stop_after);
}

bool is_prefix(const std::vector<Event>& prefix, const std::vector<Event>& whole) {
  if (prefix.size() > whole.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (!(prefix[i] == whole[i])) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = llmbench::fuzz::split_input(llmbench::fuzz::as_text(data, size));
  const std::vector<std::string_view> whole_feed{input.stream};
  const std::vector<std::string_view> pieces = llmbench::fuzz::cut(input.stream, input.piece_lengths);

  const Outcome whole = run_fresh(whole_feed);
  fuzz_check(whole.ok, "a small stream hit the default event size limit");
  for (const Event& e : whole.events) {
    fuzz_check(e.event.find_first_of("\r\n") == std::string::npos, "an event name contains a line break");
    fuzz_check(e.data.find('\r') == std::string::npos, "event data contains CR");
  }

  fuzz_check(run_fresh(pieces) == whole, "events differ between one feed and the fuzzer's cut");
  if (input.stream.size() <= 64 * 1024) {
    fuzz_check(run_fresh(llmbench::fuzz::bytewise(input.stream)) == whole,
               "events differ between one feed and a byte-at-a-time feed");
  }

  // reset() makes a used parser behave like a new one.
  SseParser reused;
  run(reused, pieces);
  reused.reset();
  fuzz_check(run(reused, whole_feed) == whole, "a reset parser differs from a new one");

  // Stopping from the callback stops at exactly that event.
  if (!whole.events.empty()) {
    const std::size_t stop_after = (whole.events.size() + 1) / 2;
    const Outcome stopped = run_fresh(pieces, stop_after);
    fuzz_check(!stopped.ok, "feed() went on after the callback returned false");
    fuzz_check(stopped.events.size() == stop_after, "events were delivered after the callback returned false");
    fuzz_check(is_prefix(stopped.events, whole.events), "a stopped parse is not a prefix of the full parse");
  }

  // A small size limit may stop the stream early, but never changes or oversizes an event.
  const std::size_t limit = 1 + (input.piece_lengths.empty() ? 64 : input.piece_lengths.front());
  const Outcome limited = run_fresh(pieces, 0, limit);
  fuzz_check(is_prefix(limited.events, whole.events), "a size-limited parse is not a prefix of the full parse");
  for (const Event& e : limited.events) fuzz_check(e.data.size() <= limit, "an event larger than the limit");
  return 0;
}
