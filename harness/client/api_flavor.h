#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/enum_names.h"
#include "harness/client/chat_request.h"
#include "harness/client/endpoint.h"

namespace llmbench::harness {

// Stable names in reports: "openai_chat", "ollama_chat", "openai_completions",
// "anthropic_messages", "openai_responses".
constexpr auto enum_names(ApiFlavor) {
  using enum ApiFlavor;
  return std::to_array<EnumName<ApiFlavor>>({{openai_chat, "openai_chat"},
                                             {ollama_chat, "ollama_chat"},
                                             {openai_completions, "openai_completions"},
                                             {anthropic_messages, "anthropic_messages"},
                                             {openai_responses, "openai_responses"}});
}
constexpr std::string_view api_flavor_name(ApiFlavor flavor) noexcept { return to_name(flavor); }

// Streams of every flavour but Ollama's are Server-Sent Events.
constexpr bool streams_sse(ApiFlavor flavor) noexcept { return flavor != ApiFlavor::ollama_chat; }

// What ends a complete stream of this flavour, for error messages: "data: [DONE]", "a
// done:true line", "event: message_stop", "event: response.completed".
std::string_view stream_terminator(ApiFlavor flavor) noexcept;
// Where this flavour's reply carries its completion, for error messages ("choices[0].message").
std::string_view completion_location(ApiFlavor flavor, bool stream) noexcept;

// The full URL a request of this flavour is POSTed to: {base}/v1/chat/completions,
// /v1/completions, /v1/messages, /v1/responses, or {base}/api/chat. A trailing '/' or (the /v1
// APIs) a trailing "/v1" on the base is tolerated.
std::string request_url(const Endpoint& endpoint);

// A base URL that already ends in an endpoint path (/chat/completions, /completions,
// /api/chat, /api/generate, /messages; a trailing '/' ignored), to which request_url() would
// append a second one: returns the base URL meant, e.g. "http://host/v1" for
// "http://host/v1/chat/completions" ("http://host" for "http://host/api/chat"); nullopt for
// an ordinary base URL. The scenario reader refuses such a target before anything runs.
std::optional<std::string> base_url_without_endpoint_path(std::string_view url);

// The JSON body for one request. OpenAI chat and legacy completions: model, messages (or the
// prompt), stream, and when streaming with Endpoint::include_usage, stream_options.include_usage
// so the server reports token counts; max_tokens, seed, temperature, top_p, min_tokens,
// ignore_eos when set. Ollama /api/chat: model, messages, stream, and options.{num_predict, seed,
// temperature, top_p} (Ollama has no min_tokens or ignore_eos: extra_body can still send what a
// server takes). Anthropic and Responses: their wire file's body. Last, for every flavour, the
// request's extra_body deep-merged in (apply_extra_body), its keys winning.
std::string build_request_body(const Endpoint& endpoint, const ChatRequest& request, bool stream);

}  // namespace llmbench::harness
