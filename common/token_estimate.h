#pragma once

#include <cstdint>
#include <string_view>

namespace llmbench {

// Rough token count of a text without a tokenizer: its whitespace-separated words. The one
// estimate the harness uses wherever a server reports no usage: the prompt sources' prompt
// tokens (harness/load/prompt_source.h) and a reply's output tokens (harness/client/transfer.cc).
std::uint32_t estimate_tokens(std::string_view text) noexcept;

// The same estimate fed piece by piece (a stream's deltas): a word split across two deltas
// counts once, so the total equals estimate_tokens() of the concatenated text.
class TokenEstimator {
 public:
  void feed(std::string_view text) noexcept {
    for (const char c : text) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (!space && !in_word_) ++words_;
      in_word_ = !space;
    }
  }
  std::uint32_t count() const noexcept { return words_; }
  void reset() noexcept { *this = TokenEstimator{}; }

 private:
  std::uint32_t words_ = 0;
  bool in_word_ = false;
};

}  // namespace llmbench
