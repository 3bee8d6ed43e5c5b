// NdjsonParser: the lines must not depend on where the stream is cut between feed() calls.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/client/ndjson_parser.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using llmbench::fuzz::fuzz_check;
using llmbench::harness::NdjsonParser;

struct Outcome {
  std::vector<std::string> lines;
  bool ok = true;
  bool partial = false;
  std::vector<std::string> flushed;  // what flush() handed over at the end
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

Outcome run(NdjsonParser& parser, const std::vector<std::string_view>& pieces, std::size_t stop_after = 0) {
  Outcome out;
  auto on_line = [&](std::string_view line) {
    out.lines.emplace_back(line);
    return stop_after == 0 || out.lines.size() < stop_after;
  };
  for (std::string_view piece : pieces) {
    if (!parser.feed(piece, on_line)) {
      out.ok = false;
      break;
    }
  }
  out.partial = parser.has_partial_line();
  if (out.ok) {
    parser.flush([&](std::string_view line) {
      out.flushed.emplace_back(line);
      return true;
    });
    fuzz_check(out.partial == !out.flushed.empty(), "has_partial_line() disagrees with what flush() hands over");
    fuzz_check(!parser.has_partial_line(), "a line is still buffered after flush()");
  }
  return out;
}

Outcome run_fresh(const std::vector<std::string_view>& pieces, std::size_t stop_after = 0,
                  std::size_t max_line_bytes = NdjsonParser::kDefaultMaxLineBytes) {
  NdjsonParser parser(max_line_bytes);
  return run(parser, pieces, stop_after);
}

bool is_prefix(const std::vector<std::string>& prefix, const std::vector<std::string>& whole) {
  if (prefix.size() > whole.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != whole[i]) return false;
  }
  return true;
}

void check_line(const std::string& line) {
  fuzz_check(!line.empty(), "an empty line was delivered");
  fuzz_check(line.find('\n') == std::string::npos, "a delivered line contains LF");
  fuzz_check(line.back() != '\r', "a delivered line ends in CR");
  fuzz_check(line.front() != ' ' && line.front() != '\t' && line.back() != ' ' && line.back() != '\t',
             "a delivered line is not trimmed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = llmbench::fuzz::split_input(llmbench::fuzz::as_text(data, size));
  const std::vector<std::string_view> whole_feed{input.stream};
  const std::vector<std::string_view> pieces = llmbench::fuzz::cut(input.stream, input.piece_lengths);

  const Outcome whole = run_fresh(whole_feed);
  fuzz_check(whole.ok, "a small stream hit the default line size limit");
  for (const std::string& line : whole.lines) check_line(line);
  for (const std::string& line : whole.flushed) check_line(line);

  fuzz_check(run_fresh(pieces) == whole, "lines differ between one feed and the fuzzer's cut");
  if (input.stream.size() <= 64 * 1024) {
    fuzz_check(run_fresh(llmbench::fuzz::bytewise(input.stream)) == whole,
               "lines differ between one feed and a byte-at-a-time feed");
  }

  NdjsonParser reused;
  run(reused, pieces);
  reused.reset();
  fuzz_check(run(reused, whole_feed) == whole, "a reset parser differs from a new one");

  if (!whole.lines.empty()) {
    const std::size_t stop_after = (whole.lines.size() + 1) / 2;
    const Outcome stopped = run_fresh(pieces, stop_after);
    fuzz_check(!stopped.ok, "feed() went on after the callback returned false");
    fuzz_check(stopped.lines.size() == stop_after, "lines were delivered after the callback returned false");
    fuzz_check(is_prefix(stopped.lines, whole.lines), "a stopped parse is not a prefix of the full parse");
  }

  const std::size_t limit = 1 + (input.piece_lengths.empty() ? 64 : input.piece_lengths.front());
  const Outcome limited = run_fresh(pieces, 0, limit);
  // Only buffered bytes count against the limit (a line inside one feed() costs no memory),
  // so a longer line may pass; what must hold is that the limit never alters a line.
  fuzz_check(is_prefix(limited.lines, whole.lines), "a size-limited parse is not a prefix of the full parse");
  return 0;
}
