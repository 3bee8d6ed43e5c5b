#pragma once

#include <string>
#include <string_view>

namespace llmbench::harness {

// What a server said in a non-2xx response body, in one line: the message of an OpenAI
// {"error":{"message","code"}} or Anthropic {"type":"error","error":{"type","message"}} body,
// an Ollama {"error":"..."} string, a FastAPI {"detail":"..."} or a bare {"message":"..."};
// otherwise the body's first non-blank line (HTML error pages, plain text). An OpenAI `code`
// (e.g. model_not_found) the message does not already mention is appended in brackets.
// At most kMaxServerMessageChars bytes, cut on a UTF-8 boundary; empty for an empty body.
// Only called for error responses, never on the path of a successful request.
inline constexpr std::size_t kMaxServerMessageChars = 300;
std::string error_body_message(std::string_view body);

// Replaces what looks like a credential with "***": the token after "Bearer ", words that
// start with a well-known API-key prefix (sk-, sk_, pk-, rk-, gsk_, xai-, hf_, ghp_, AKIA,
// AIza, ...; the prefix is kept: "sk-***"), and any run of 32 or more letters, digits, '-' and
// '_' that mixes letters and digits (raw keys, JWT segments). Request ids may be caught too;
// a report loses nothing it needs by that.
std::string redact_secrets(std::string_view text);

// `text` cut to at most `max_bytes` bytes without splitting a UTF-8 sequence; "…" marks a cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace llmbench::harness
