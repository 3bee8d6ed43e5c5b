#include "cli/embedded_mock.h"

#include <boost/json.hpp>
#include <stdexcept>

#include "common/duration.h"
#include "common/input_error.h"
#include "common/distribution.h"
#include "mock_provider/mock_config_file.h"

namespace llmbench::cli {

namespace json = boost::json;

EmbeddedMock read_embedded_mock(load::TargetSpec& target) {
  EmbeddedMock mock;
  const config::Section& t = target.table;
  if (const toml::node* engine = t.get("engine")) {
    try {
      mock.engine = mock::parse_engine_kind(engine->value_or(std::string()));
    } catch (const std::invalid_argument& e) {
      throw InputError(t.where(*engine), t.key + ".engine", e.what());
    }
  }
  if (const toml::table* table = t.get("mock") != nullptr ? t.get("mock")->as_table() : nullptr) {
    mock::apply_mock_config_table(mock.config, *table, t.source, t.key + ".mock.");
    // A mock that checks keys gets them from the same variable the client reads.
    if (const auto* env = table->get_as<std::string>("api_key_env"); env != nullptr && target.endpoint.api_key_env.empty()) {
      target.endpoint.api_key_env = env->get();
    }
  }
  mock.config.host = "127.0.0.1";  // the embedded mock is never reachable from elsewhere
  mock.config.port = 0;
  return mock;
}

json::object mock_echo(const EmbeddedMock& mock) {
  const mock::MockConfig& m = mock.config;
  json::object mo;
  mo["engine"] = std::string(mock::engine_kind_name(mock.engine));
  mo["seed"] = m.seed;
  mo["ttft"] = format_duration_distribution(m.ttft);
  mo["itl"] = format_duration_distribution(m.itl);
  mo["output_tokens"] = format_count_distribution(m.output_tokens);
  mo["prefill_per_prompt_token"] = format_duration(m.prefill_per_prompt_token);
  mo["decode_slots"] = m.decode_slots;
  mo["max_waiting"] = m.max_waiting;
  mo["load_slowdown"] = m.load_slowdown;
  mo["rate_limit_rpm"] = m.rate_limit_rpm;
  mo["rate_limit_tpm"] = m.rate_limit_tpm;
  json::object faults;
  for (const auto& [kind, rate] : m.faults) faults[std::string(mock::fault_kind_name(kind))] = rate;
  mo["faults"] = std::move(faults);
  mo["api_key_required"] = m.api_key.has_value();
  return mo;
}

std::optional<load::KnownLatency> known_latency(const mock::MockConfig& m) {
  if (!m.ttft.is_fixed() || !m.itl.is_fixed() || !m.output_tokens.is_fixed() ||
      m.prefill_per_prompt_token.count() != 0 || m.load_slowdown != 1.0) {
    return std::nullopt;
  }
  return load::KnownLatency{m.ttft.a, m.itl.a, m.output_tokens.a};
}

}  // namespace llmbench::cli
