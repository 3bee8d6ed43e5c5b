#pragma once

#include <cstdint>
#include <string_view>

namespace llmbench {

// Rough token count of a text without a tokenizer: its whitespace-separated words. The one
// estimate the harness uses wherever a server reports no usage: the prompt sources' prompt
// tokens (harness/load/prompt_source.h) and a reply's output tokens (harness/client/transfer.cc).
std::uint32_t estimate_tokens(std::string_view text) noexcept;

}  // namespace llmbench
