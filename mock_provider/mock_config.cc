#include <fmt/format.h>

#include "common/config/invalid.h"
#include "mock_provider/mock_config.h"

namespace llmbench::mock {

void validate(const MockConfig& config) {
  using config::Invalid;
  for (const auto& [d, name] : {std::pair{&config.ttft, "ttft"}, {&config.itl, "itl"}, {&config.output_tokens, "output_tokens"},
                               {&config.reasoning_tokens, "reasoning_tokens"}}) {
    if (const auto problem = distribution_problem(*d)) throw Invalid(name, *problem);
  }
  if (config.event_loops > 64) throw Invalid("event_loops", fmt::format("{} is above 64", config.event_loops));
  if (config.prefill_per_prompt_token.count() < 0) throw Invalid("prefill_per_prompt_token", "must not be negative");
  if (config.load_slowdown < 1.0) {
    throw Invalid("load_slowdown", fmt::format("{} is below 1 (1 = off)", config.load_slowdown));
  }
  if (config.load_slowdown != 1.0 && config.decode_slots < 2) {
    throw Invalid("load_slowdown", "needs decode_slots >= 2 (it scales with running/slots)");
  }
  double total = 0;
  for (const auto& [kind, rate] : config.faults) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw Invalid("faults." + std::string(fault_kind_name(kind)), fmt::format("rate {} is outside [0, 1]", rate));
    }
    total += rate;
  }
  if (total > 1.0 + 1e-9) throw Invalid("faults", fmt::format("the rates add up to {} (more than 1)", total));
  if (config.models.empty()) throw Invalid("models", "at least one model name is needed");
  if (config.max_output_tokens == 0) throw Invalid("max_output_tokens", "must be at least 1");
  if (config.trickle_itl.count() <= 0) throw Invalid("trickle_itl", "must be positive");
  if (config.stall_timeout.count() <= 0) throw Invalid("stall_timeout", "must be positive");
  if (config.idle_timeout.count() <= 0) throw Invalid("idle_timeout", "must be positive");
  if (config.api_key && config.api_key->empty()) throw Invalid("api_key_env", "the key must not be empty");
}

}  // namespace llmbench::mock
