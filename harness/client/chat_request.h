#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace boost::json {
class object;
}

namespace llmbench::harness {

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

// One logical LLM call, independent of API flavour and execution model.
// The client turns it into an OpenAI or Ollama body (harness/client/api_flavor.h).
struct ChatRequest {
  std::vector<ChatMessage> messages;
  std::uint32_t max_tokens = 0;       // 0: let the server decide
  std::optional<std::uint64_t> seed;  // sent as the API's seed field
  std::optional<double> temperature;
  // More request fields (harness/client/request_fields.h): set by a prompt line or the scenario.
  std::optional<double> top_p;
  std::uint32_t min_tokens = 0;        // vLLM's min_tokens; 0: not sent
  std::optional<bool> ignore_eos;      // vLLM's ignore_eos; sent when set
  // Merged into the finished body last (apply_extra_body), whatever the API flavour.
  std::shared_ptr<const boost::json::object> extra_body;
  // Extra headers for this request only, e.g. {"x-mock-fault", "drop"} in tests.
  std::vector<std::pair<std::string, std::string>> headers;
  // The request source's estimate of prompt tokens, used when the server reports no usage.
  std::uint32_t prompt_tokens_estimate = 0;
};

}  // namespace llmbench::harness
