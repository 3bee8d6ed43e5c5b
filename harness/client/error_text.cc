#include "harness/client/error_text.h"

#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <optional>

namespace llmbench::harness {

namespace json = boost::json;

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string_view string_member(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return {v->get_string().data(), v->get_string().size()};
}

// The message of a JSON error body, or empty when the body is not one of the known shapes.
std::string json_error_message(std::string_view body) {
  json::error_code ec;
  const json::value root = json::parse(body, ec);
  if (ec || !root.is_object()) return {};
  const json::object& o = root.get_object();
  if (const json::value* error = o.if_contains("error"); error != nullptr) {
    if (error->is_string()) return std::string(error->get_string());  // Ollama
    if (error->is_object()) {                                         // OpenAI, Anthropic
      const json::object& e = error->get_object();
      std::string message(string_member(e, "message"));
      std::string_view code = string_member(e, "code");
      if (code.empty()) code = string_member(e, "type");
      if (message.empty()) return std::string(code);
      if (!code.empty() && message.find(code) == std::string::npos) message += " [" + std::string(code) + "]";
      return message;
    }
  }
  if (const json::value* detail = o.if_contains("detail"); detail != nullptr) {  // FastAPI
    if (detail->is_string()) return std::string(detail->get_string());
    return json::serialize(*detail);
  }
  return std::string(string_member(o, "message"));
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

// Prefixes of API keys and tokens of common providers; case-sensitive where the provider's is.
constexpr std::array<std::string_view, 14> kKeyPrefixes = {"sk-",         "sk_",    "pk-",  "pk_", "rk-",
                                                           "rk_",         "gsk_",   "xai-", "hf_", "ghp_",
                                                           "github_pat_", "glpat-", "AKIA", "AIza"};
constexpr std::size_t kMinSecretAfterPrefix = 8;
constexpr std::size_t kMinBareSecret = 32;

// "***" for a token that looks like a credential, the prefix kept when it has a known one.
std::optional<std::string> redacted_token(std::string_view token) {
  for (std::string_view prefix : kKeyPrefixes) {
    if (token.starts_with(prefix) && token.size() >= prefix.size() + kMinSecretAfterPrefix) {
      return std::string(prefix) + "***";
    }
  }
  if (token.size() >= kMinBareSecret) {
    bool digit = false, alpha = false;
    for (char c : token) {
      digit = digit || std::isdigit(static_cast<unsigned char>(c)) != 0;
      alpha = alpha || std::isalpha(static_cast<unsigned char>(c)) != 0;
    }
    if (digit && alpha) return std::string("***");
  }
  return std::nullopt;
}

}  // namespace

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
  std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  // Back off continuation bytes so a multi-byte character is not split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + std::string(kEllipsis);
}

std::string error_body_message(std::string_view body) {
  std::string message = json_error_message(body);
  if (message.empty()) {
    // Not a JSON error: the first non-blank line of whatever the server (or a proxy) sent.
    std::string_view rest = body;
    while (!rest.empty()) {
      const std::size_t end = rest.find('\n');
      const std::string_view line = trim(rest.substr(0, end));
      if (!line.empty()) {
        message = std::string(line);
        break;
      }
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
  // One line: a message with embedded newlines would break the console and Markdown tables.
  for (char& c : message) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return truncate_utf8(trim(message), kMaxServerMessageChars);
}

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (iequals_prefix(text.substr(i), "bearer ") && (i == 0 || !is_token_char(text[i - 1]))) {
      out.append(text.substr(i, 7));
      i += 7;
      const std::size_t start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '"' &&
             text[i] != '\'' && text[i] != ',')
        ++i;
      if (i > start) out += "***";
      continue;
    }
    if (!is_token_char(text[i])) {
      out += text[i++];
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && is_token_char(text[i])) ++i;
    const std::string_view token = text.substr(start, i - start);
    if (auto replacement = redacted_token(token)) {
      out += *replacement;
    } else {
      out.append(token);
    }
  }
  return out;
}

}  // namespace llmbench::harness
