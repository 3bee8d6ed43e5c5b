#include "common/token_estimate.h"

namespace llmbench {

std::uint32_t estimate_tokens(std::string_view text) noexcept {
  std::uint32_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace llmbench
