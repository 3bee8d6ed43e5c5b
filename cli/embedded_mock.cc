#include "cli/embedded_mock.h"

#include <boost/json.hpp>
#include <stdexcept>

#include "common/input_error.h"
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
  json::object echo = config::echo(mock::mock_schema(), mock.config);
  echo["engine"] = std::string(mock::engine_kind_name(mock.engine));
  echo["api_key_required"] = mock.config.api_key.has_value();  // whether, never which
  return echo;
}

std::optional<load::KnownLatency> known_latency(const mock::MockConfig& m) {
  if (!m.ttft.is_fixed() || !m.itl.is_fixed() || !m.output_tokens.is_fixed() ||
      m.prefill_per_prompt_token.count() != 0 || m.load_slowdown != 1.0) {
    return std::nullopt;
  }
  return load::KnownLatency{m.ttft.a, m.itl.a, m.output_tokens.a};
}

}  // namespace llmbench::cli
