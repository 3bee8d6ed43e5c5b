#include "mock_provider/mock_config_file.h"

#include <fmt/format.h>

#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "common/duration.h"
#include "common/input_error.h"

namespace llmbench::mock {

namespace {

std::string where(const std::string& source, const toml::node& node) {
  const auto& src = node.source();
  // A value that came from elsewhere than the file (a command-line override such as
  // --mock-ttft carries the flag as its source) is named by that source; its "line 1" means nothing.
  if (src.path && !src.path->empty() && *src.path != source) return std::string(*src.path);
  if (src.begin.line == 0) return source;
  return fmt::format("{}:{}", source, src.begin.line);
}

class TableReader {
 public:
  TableReader(const std::string& source, std::string prefix) : source_(source), prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(const toml::node& node, std::string_view key, const std::string& problem) const {
    throw InputError(where(source_, node), prefix_ + std::string(key), problem);
  }

  std::string string(const toml::node& node, std::string_view key) const {
    if (const auto* s = node.as_string()) return s->get();
    fail(node, key, fmt::format("expected a string, got {}", toml::impl::node_type_friendly_names[
                                                                  static_cast<int>(node.type())]));
  }

  std::int64_t integer(const toml::node& node, std::string_view key, std::int64_t min, std::int64_t max) const {
    const auto* i = node.as_integer();
    if (i == nullptr) fail(node, key, "expected an integer");
    const std::int64_t v = i->get();
    if (v < min || v > max) fail(node, key, fmt::format("{} is outside [{}, {}]", v, min, max));
    return v;
  }

  double number(const toml::node& node, std::string_view key) const {
    if (const auto* f = node.as_floating_point()) return f->get();
    if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
    fail(node, key, "expected a number");
  }

  bool boolean(const toml::node& node, std::string_view key) const {
    if (const auto* b = node.as_boolean()) return b->get();
    fail(node, key, "expected true or false");
  }

  std::chrono::nanoseconds duration(const toml::node& node, std::string_view key) const {
    try {
      return llmbench::parse_duration(string(node, key));
    } catch (const std::invalid_argument& e) {
      fail(node, key, e.what());
    }
  }

  // Duration distributions are strings ("50ms", "normal(50ms,5ms)").
  Distribution duration_distribution(const toml::node& node, std::string_view key) const {
    try {
      return parse_duration_distribution(string(node, key));
    } catch (const std::invalid_argument& e) {
      fail(node, key, e.what());
    }
  }

  // Counts are an integer (32) or a string ("uniform(16,64)").
  Distribution count_distribution(const toml::node& node, std::string_view key) const {
    if (const auto* i = node.as_integer()) {
      if (i->get() < 1) fail(node, key, "must be at least 1");
      return Distribution::fixed(static_cast<double>(i->get()));
    }
    if (node.as_string() == nullptr) fail(node, key, "expected an integer or a distribution string");
    try {
      return parse_count_distribution(string(node, key));
    } catch (const std::invalid_argument& e) {
      fail(node, key, e.what());
    }
  }

 private:
  const std::string& source_;
  std::string prefix_;
};

constexpr std::int64_t kMaxU32 = std::numeric_limits<std::uint32_t>::max();

}  // namespace

void apply_mock_config_table(MockConfig& config, const toml::table& table, const std::string& source_name,
                             const std::string& prefix) {
  const TableReader r(source_name, prefix);
  for (const auto& [key_node, node] : table) {
    const std::string_view key = key_node.str();
    if (key == "host") {
      config.host = r.string(node, key);
    } else if (key == "port") {
      config.port = static_cast<std::uint16_t>(r.integer(node, key, 0, 65535));
    } else if (key == "threads") {
      config.threads = static_cast<std::uint32_t>(r.integer(node, key, 0, 65536));
    } else if (key == "event_loops") {
      config.event_loops = static_cast<std::uint32_t>(r.integer(node, key, 0, 64));
    } else if (key == "seed") {
      config.seed = static_cast<std::uint64_t>(r.integer(node, key, 0, std::numeric_limits<std::int64_t>::max()));
    } else if (key == "ttft") {
      config.ttft = r.duration_distribution(node, key);
    } else if (key == "itl") {
      config.itl = r.duration_distribution(node, key);
    } else if (key == "output_tokens") {
      config.output_tokens = r.count_distribution(node, key);
    } else if (key == "prefill_per_prompt_token") {
      config.prefill_per_prompt_token = r.duration(node, key);
    } else if (key == "decode_slots") {
      config.decode_slots = static_cast<std::uint32_t>(r.integer(node, key, 0, kMaxU32));
    } else if (key == "max_waiting") {
      config.max_waiting = static_cast<std::uint32_t>(r.integer(node, key, 0, kMaxU32));
    } else if (key == "load_slowdown") {
      config.load_slowdown = r.number(node, key);
      if (config.load_slowdown < 1.0) r.fail(node, key, "must be at least 1 (1 = off)");
    } else if (key == "rate_limit_rpm") {
      config.rate_limit_rpm = static_cast<std::uint64_t>(r.integer(node, key, 0, std::numeric_limits<std::int64_t>::max()));
    } else if (key == "rate_limit_tpm") {
      config.rate_limit_tpm = static_cast<std::uint64_t>(r.integer(node, key, 0, std::numeric_limits<std::int64_t>::max()));
    } else if (key == "faults") {
      const auto* faults = node.as_table();
      if (faults == nullptr) r.fail(node, key, "expected a table of KIND = RATE, e.g. faults = { \"429\" = 0.05 }");
      for (const auto& [kind_node, rate_node] : *faults) {
        const std::string field = fmt::format("faults.{}", kind_node.str());
        const auto kind = fault_kind_from_name(kind_node.str());
        if (!kind) {
          r.fail(rate_node, field, "unknown fault kind (expected 429, 500, 503, stream_error, drop, stall, trickle)");
        }
        const double rate = r.number(rate_node, field);
        if (!(rate >= 0.0 && rate <= 1.0)) r.fail(rate_node, field, fmt::format("rate {} is outside [0, 1]", rate));
        std::erase_if(config.faults, [&](const auto& f) { return f.first == *kind; });
        config.faults.emplace_back(*kind, rate);
      }
    } else if (key == "trickle_itl") {
      config.trickle_itl = r.duration(node, key);
    } else if (key == "stall_timeout") {
      config.stall_timeout = r.duration(node, key);
    } else if (key == "idle_timeout") {
      config.idle_timeout = r.duration(node, key);
    } else if (key == "models") {
      const auto* array = node.as_array();
      if (array == nullptr || array->empty()) r.fail(node, key, "expected a non-empty array of model names");
      std::vector<std::string> models;
      for (const auto& element : *array) models.push_back(r.string(element, key));
      config.models = std::move(models);
    } else if (key == "reject_unknown_models") {
      config.reject_unknown_models = r.boolean(node, key);
    } else if (key == "api_key_env") {
      // The key itself never sits in a file: only the name of the variable holding it.
      const std::string variable = r.string(node, key);
      const char* value = std::getenv(variable.c_str());
      if (value == nullptr || *value == '\0') {
        r.fail(node, key, fmt::format("environment variable '{}' is not set or empty", variable));
      }
      config.api_key = value;
    } else if (key == "max_body_bytes") {
      config.max_body_bytes = static_cast<std::size_t>(r.integer(node, key, 1, std::int64_t{1} << 40));
    } else if (key == "max_output_tokens") {
      config.max_output_tokens = static_cast<std::uint32_t>(r.integer(node, key, 1, kMaxU32));
    } else {
      r.fail(node, key,
             "unknown key (expected host, port, threads, event_loops, seed, ttft, itl, output_tokens, prefill_per_prompt_token, "
             "decode_slots, max_waiting, load_slowdown, rate_limit_rpm, rate_limit_tpm, faults, trickle_itl, "
             "stall_timeout, idle_timeout, models, reject_unknown_models, api_key_env, max_body_bytes, "
             "max_output_tokens)");
    }
  }
  try {
    validate(config);
  } catch (const std::invalid_argument& e) {
    throw InputError(where(source_name, table), "", prefix + e.what());
  }
}

MockConfig load_mock_config_file(const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}", path.string(), e.source().begin.line), "",
                     std::string(e.description()));
  }
  MockConfig config;
  // A file may hold the keys at top level or under [mock] (so one file can also carry other tables).
  if (const auto* mock = root.get_as<toml::table>("mock"); mock != nullptr && root.size() == 1) {
    apply_mock_config_table(config, *mock, path.string());
  } else {
    apply_mock_config_table(config, root, path.string());
  }
  return config;
}

void add_fault_spec(MockConfig& config, std::string_view spec) {
  const auto eq = spec.find('=');
  auto fail = [&](std::string_view why) {
    return std::invalid_argument(fmt::format(
        "invalid fault '{}': {} (expected KIND=RATE with KIND one of 429, 500, 503, stream_error, drop, stall, "
        "trickle and RATE in [0, 1], e.g. 429=0.05)",
        spec, why));
  };
  if (eq == std::string_view::npos) throw fail("missing '='");
  const auto kind = fault_kind_from_name(spec.substr(0, eq));
  if (!kind) throw fail(fmt::format("unknown kind '{}'", spec.substr(0, eq)));
  const std::string rate_text(spec.substr(eq + 1));
  char* end = nullptr;
  const double rate = std::strtod(rate_text.c_str(), &end);
  if (rate_text.empty() || end != rate_text.c_str() + rate_text.size()) throw fail("the rate is not a number");
  if (!(rate >= 0.0 && rate <= 1.0)) throw fail("the rate is outside [0, 1]");
  std::erase_if(config.faults, [&](const auto& f) { return f.first == *kind; });
  config.faults.emplace_back(*kind, rate);
}

}  // namespace llmbench::mock
