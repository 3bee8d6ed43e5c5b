#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// Shared by the fuzz targets in tests/fuzz. Each target defines LLVMFuzzerTestOneInput; a
// broken invariant calls fuzz_fail, which aborts so libFuzzer keeps the input as a crash.
namespace llmbench::fuzz {

[[noreturn]] inline void fuzz_fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

inline void fuzz_check(bool condition, const char* what) {
  if (!condition) fuzz_fail(what);
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// An input for the incremental parsers: how to cut the stream, then the stream itself.
// Byte 0 (mod 16) is the number of piece-length bytes that follow; those lengths (0-255, 0 is
// an empty feed() call) repeat over the stream. So the fuzzer chooses the cut points, and a
// seed stays readable: "\x02\x05\x11" followed by a recorded stream.
struct SplitInput {
  std::vector<std::size_t> piece_lengths;
  std::string_view stream;
};

inline SplitInput split_input(std::string_view input) {
  SplitInput out;
  if (input.empty()) return out;
  const std::size_t count = std::min<std::size_t>(static_cast<unsigned char>(input[0]) % 16, input.size() - 1);
  for (std::size_t i = 0; i < count; ++i) out.piece_lengths.push_back(static_cast<unsigned char>(input[1 + i]));
  out.stream = input.substr(1 + count);
  return out;
}

// The stream cut by the lengths, cyclically. An empty piece is always followed by a non-empty
// one, so all-zero lengths still make progress.
inline std::vector<std::string_view> cut(std::string_view stream, const std::vector<std::size_t>& lengths) {
  std::vector<std::string_view> pieces;
  if (lengths.empty()) {
    pieces.push_back(stream);
    return pieces;
  }
  std::size_t pos = 0;
  bool last_was_empty = false;
  for (std::size_t i = 0; pos < stream.size(); ++i) {
    std::size_t length = lengths[i % lengths.size()];
    if (length == 0 && last_was_empty) length = 1;
    length = std::min(length, stream.size() - pos);
    pieces.push_back(stream.substr(pos, length));
    pos += length;
    last_was_empty = length == 0;
  }
  return pieces;
}

// One byte per piece: the finest cut, compared with the whole-feed result.
inline std::vector<std::string_view> bytewise(std::string_view stream) {
  std::vector<std::string_view> pieces;
  pieces.reserve(stream.size());
  for (std::size_t i = 0; i < stream.size(); ++i) pieces.push_back(stream.substr(i, 1));
  return pieces;
}

}  // namespace llmbench::fuzz
