#include <fmt/format.h>

#include <stdexcept>

#include "mock_provider/mock_config.h"

namespace llmbench::mock {

namespace {
void check_distribution(const Distribution& d, const char* name) {
  if (const auto problem = distribution_problem(d)) throw std::invalid_argument(fmt::format("{}: {}", name, *problem));
}
}  // namespace

void validate(const MockConfig& config) {
  check_distribution(config.ttft, "ttft");
  check_distribution(config.itl, "itl");
  check_distribution(config.output_tokens, "output_tokens");
  if (config.event_loops > 64) {
    throw std::invalid_argument(fmt::format("event_loops: {} is above 64", config.event_loops));
  }
  if (config.prefill_per_prompt_token.count() < 0) {
    throw std::invalid_argument("prefill_per_prompt_token: must not be negative");
  }
  if (config.load_slowdown < 1.0) {
    throw std::invalid_argument(fmt::format("load_slowdown: {} is below 1 (1 = off)", config.load_slowdown));
  }
  if (config.load_slowdown != 1.0 && config.decode_slots < 2) {
    throw std::invalid_argument("load_slowdown: needs decode_slots >= 2 (it scales with running/slots)");
  }
  double total = 0;
  for (const auto& [kind, rate] : config.faults) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw std::invalid_argument(
          fmt::format("fault {}: rate {} is outside [0, 1]", fault_kind_name(kind), rate));
    }
    total += rate;
  }
  if (total > 1.0 + 1e-9) {
    throw std::invalid_argument(fmt::format("faults: the rates add up to {} (more than 1)", total));
  }
  if (config.models.empty()) throw std::invalid_argument("models: at least one model name is needed");
  if (config.max_output_tokens == 0) throw std::invalid_argument("max_output_tokens: must be at least 1");
  if (config.trickle_itl.count() <= 0) throw std::invalid_argument("trickle_itl: must be positive");
  if (config.stall_timeout.count() <= 0) throw std::invalid_argument("stall_timeout: must be positive");
  if (config.idle_timeout.count() <= 0) throw std::invalid_argument("idle_timeout: must be positive");
  if (config.api_key && config.api_key->empty()) throw std::invalid_argument("api key: must not be empty");
}

}  // namespace llmbench::mock
