#include "mock_provider/mock_config_file.h"

#include <fmt/format.h>

#include <cstdlib>
#include <limits>

#include "common/input_error.h"

namespace llmbench::mock {

namespace {

using config::FlagForm;
using config::Invalid;
using config::with_flag;
namespace json = boost::json;
using C = MockConfig;

constexpr std::int64_t kU32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::int64_t kI64 = std::numeric_limits<std::int64_t>::max();

config::Field<C> faults_field() {
  return {"faults", "table KIND = RATE", "probability per request of each fault: 429, 500, 503, stream_error, drop, "
          "stall, trickle (sum <= 1)",
          [](C& c, const toml::node& n) {
            const auto* table = n.as_table();
            if (table == nullptr) throw Invalid("", "expected a table of KIND = RATE, e.g. faults = { \"429\" = 0.05 }");
            for (auto&& [name, rate_node] : *table) {
              const std::string key(name.str());
              const auto kind = fault_kind_from_name(key);
              if (!kind) throw Invalid(key, "unknown fault kind (expected 429, 500, 503, stream_error, drop, stall, trickle)");
              double rate = 0;
              try {
                rate = config::read_number(rate_node, 0);
              } catch (const Invalid& e) {
                throw Invalid(key, e.problem());
              }
              if (rate > 1.0) throw Invalid(key, fmt::format("rate {} is outside [0, 1]", rate));
              std::erase_if(c.faults, [&](const auto& f) { return f.first == *kind; });
              c.faults.emplace_back(*kind, rate);
            }
          },
          [](const C& c) {
            json::object faults;
            for (const auto& [kind, rate] : c.faults) faults[std::string(fault_kind_name(kind))] = rate;
            return json::value(std::move(faults));
          },
          true, "--fault", FlagForm::pairs, "KIND=RATE"};
}

config::Field<C> models_field() {
  return {"models", "array of strings", "model names listed by /v1/models",
          [](C& c, const toml::node& n) {
            const auto* array = n.as_array();
            if (array == nullptr || array->empty()) throw Invalid("", "expected a non-empty array of model names");
            std::vector<std::string> models;
            for (const auto& element : *array) models.push_back(config::read_string(element));
            c.models = std::move(models);
          },
          [](const C& c) {
            json::array models;
            for (const auto& m : c.models) models.emplace_back(m);
            return json::value(std::move(models));
          },
          false, "--model", FlagForm::list, "NAME"};
}

config::Field<C> api_key_env_field() {
  // The key itself never sits in a file or a report: only the name of the variable holding it.
  return {"api_key_env", "string",
          "require `Authorization: Bearer KEY` (`x-api-key: KEY` on /v1/messages) (else 401), KEY read from this "
          "environment variable",
          [](C& c, const toml::node& n) {
            const std::string variable = config::read_string(n);
            const char* value = std::getenv(variable.c_str());
            if (value == nullptr || *value == '\0') {
              throw Invalid("", fmt::format("environment variable '{}' is not set or empty", variable));
            }
            c.api_key = value;
          },
          [](const C&) { return json::value(""); }, false, "--api-key-env", FlagForm::text, "VAR"};
}

config::Schema<C> make_schema() {
  config::Schema<C> s;
  auto quiet = [](config::Field<C> f) {  // machine-local: not part of the workload in report.json
    f.echoed = false;
    return f;
  };
  s.fields = {
      quiet(with_flag(config::text<C>("host", &C::host, "address to listen on (standalone mock; the embedded one: 127.0.0.1)"), "--host", "ADDRESS")),
      quiet(with_flag(config::integer<C>("port", &C::port, 0, 65535, "port; 0 = any free port (printed on start)"), "--port")),
      quiet(with_flag(config::integer<C>("threads", &C::threads, 0, 65536, "httplib engine: worker threads, one per connection and its connection limit (0 = 256, or slots + waiting)"), "--threads")),
      quiet(with_flag(config::integer<C>("event_loops", &C::event_loops, 0, 64, "asio engine: event-loop threads; loop 0 accepts and hands connections out round-robin (0 = one per core)"), "--event-loops")),
      with_flag(config::integer<C>("seed", &C::seed, 0, kI64, "seed of every random draw"), "--seed"),
      with_flag(config::distribution<C>("ttft", &C::ttft, true, "time to first token: 50ms, uniform(40ms,60ms), normal(50ms,5ms), ..."), "--ttft"),
      with_flag(config::distribution<C>("itl", &C::itl, true, "inter-token latency, drawn per token"), "--itl"),
      with_flag(config::distribution<C>("output_tokens", &C::output_tokens, false, "tokens per response: 32, uniform(16,64), ..."), "--output-tokens"),
      with_flag(config::distribution<C>("reasoning_tokens", &C::reasoning_tokens, false, "reasoning tokens streamed before the answer's at the same ITL, counted in usage (0 = no reasoning phase)"), "--reasoning-tokens"),
      with_flag(config::choice<C>("reasoning_field", &C::reasoning_field, {{"reasoning_content", C::ReasoningField::reasoning_content}, {"reasoning", C::ReasoningField::reasoning}}, "field of the reasoning deltas in OpenAI-style replies (vLLM/DeepSeek, or OpenRouter/newer vLLM); Ollama's is `thinking`"), "--reasoning-field"),
      with_flag(config::duration<C>("prefill_per_prompt_token", &C::prefill_per_prompt_token, false, "added to TTFT per prompt token"), "--prefill-per-token"),
      with_flag(config::integer<C>("decode_slots", &C::decode_slots, 0, kU32, "requests generating at once (0 = unlimited)"), "--slots"),
      with_flag(config::integer<C>("max_waiting", &C::max_waiting, 0, kU32, "requests queued for a slot; beyond them 429 `queue_full`"), "--max-waiting"),
      config::integer<C>("prefix_cache_blocks", &C::prefix_cache_blocks, 0, std::int64_t{1} << 40,
                         "prefix cache: blocks of prompt tokens kept (LRU); a prompt's cached leading blocks skip "
                         "prefill_per_prompt_token and are reported as usage.prompt_tokens_details.cached_tokens "
                         "(0 = off)"),
      config::integer<C>("prefix_block_tokens", &C::prefix_block_tokens, 1, 1 << 20,
                         "prefix cache: tokens per block (4 characters a token); a partial last block is never cached"),
      with_flag(config::number<C>("load_slowdown", &C::load_slowdown, 1.0, "latencies x (1 + (f-1)(running-1)/(slots-1)) (llm-d's time-factor-under-load; 1 = off; needs decode_slots >= 2)"), "--load-slowdown"),
      with_flag(config::integer<C>("rate_limit_rpm", &C::rate_limit_rpm, 0, kI64, "requests per minute (0 = no limit)"), "--rpm"),
      with_flag(config::integer<C>("rate_limit_tpm", &C::rate_limit_tpm, 0, kI64, "tokens per minute (0 = no limit)"), "--tpm"),
      faults_field(),
      quiet(with_flag(config::duration<C>("trickle_itl", &C::trickle_itl, true, "inter-token latency under the trickle fault"), "--trickle-itl")),
      quiet(with_flag(config::duration<C>("stall_timeout", &C::stall_timeout, true, "a stalled request is closed after this"), "--stall-timeout")),
      quiet(with_flag(config::duration<C>("idle_timeout", &C::idle_timeout, true, "an idle keep-alive connection, or one slow to send its request, is closed after this"), "--idle-timeout")),
      models_field(),
      quiet(with_flag(config::boolean<C>("reject_unknown_models", &C::reject_unknown_models, "404 for a model not in models"), "--reject-unknown-models")),
      api_key_env_field(),
      quiet(with_flag(config::integer<C>("max_body_bytes", &C::max_body_bytes, 1, std::int64_t{1} << 40, "larger request bodies get 413"), "--max-body-bytes")),
      quiet(with_flag(config::integer<C>("max_output_tokens", &C::max_output_tokens, 1, kU32, "upper bound of any response length"), "--max-output-tokens")),
  };
  s.validate = [](const C& c) { validate(c); };
  return s;
}

}  // namespace

const config::Schema<MockConfig>& mock_schema() {
  static const config::Schema<MockConfig> schema = make_schema();
  return schema;
}

void apply_mock_config_table(MockConfig& config, const toml::table& table, const std::string& source_name,
                             const std::string& prefix) {
  config::read(mock_schema(), table, config::Place{source_name, prefix}, config);
}

toml::table load_mock_config_table(const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}", path.string(), e.source().begin.line), "", std::string(e.description()));
  }
  // A file may hold the keys at top level or under [mock] (so one file can also carry other tables).
  if (auto* mock = root.get_as<toml::table>("mock"); mock != nullptr && root.size() == 1) {
    toml::table inner = std::move(*mock);
    return inner;
  }
  return root;
}

MockConfig load_mock_config_file(const std::filesystem::path& path) {
  MockConfig config;
  apply_mock_config_table(config, load_mock_config_table(path), path.string());
  return config;
}

void add_fault_spec(MockConfig& config, std::string_view spec) {
  toml::table table;
  config::put_flag_value(table, "faults", "--fault", FlagForm::pairs, {std::string(spec)});
  apply_mock_config_table(config, table, "--fault");
}

}  // namespace llmbench::mock
