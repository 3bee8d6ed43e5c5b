#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace llmbench::tokenizer {

// The pre-tokenizer's split: a PCRE2 pattern (UTF-8, Unicode properties such as \p{L}, JIT)
// that cuts text into the pieces BPE then works on, with Hugging Face's "Isolated" behaviour:
// every match is a piece and so is every gap between matches. Invalid UTF-8 in the text never
// matches, so its bytes end up in gap pieces instead of failing the encode.
class SplitRegex {
 public:
  // Throws std::invalid_argument with PCRE2's message and offset for a bad pattern.
  // `literal`: the pattern is a plain string (tokenizer.json's {"String": ...}), not a regex.
  explicit SplitRegex(const std::string& pattern, bool literal = false);
  ~SplitRegex();
  SplitRegex(const SplitRegex&) = delete;
  SplitRegex& operator=(const SplitRegex&) = delete;

  // Appends the pieces of `text` (views into it) to `out`, in order; their concatenation is
  // `text`. Thread-safe.
  void split(std::string_view text, std::vector<std::string_view>& out) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace llmbench::tokenizer
