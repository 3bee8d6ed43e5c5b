#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace llmbench::mock {

// {"error":{"message":...,"type":...,"param":...,"code":...}} exactly as OpenAI sends it;
// null param/code when not given.
std::string openai_error_body(std::string_view message, std::string_view type,
                              std::optional<std::string_view> param, std::optional<std::string_view> code);

// Ollama's error shape: {"error":"message"}.
std::string ollama_error_body(std::string_view message);

}  // namespace llmbench::mock
