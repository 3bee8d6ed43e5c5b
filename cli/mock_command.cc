// `llmbench mock`: the mock LLM provider as a standalone server.
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

#include "cli/command_registry.h"
#include "common/duration.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "common/interrupt.h"
#include "mock_provider/mock_config_file.h"
#include "mock_provider/mock_server.h"

namespace llmbench::cli {

namespace {

struct MockOptions {
  std::string config_file;
  std::optional<std::string> host, engine = std::string("asio"), ttft, itl, output_tokens, prefill, trickle_itl,
                                   stall_timeout, idle_timeout, api_key_env;
  std::optional<int> port;
  std::optional<std::uint64_t> seed, rpm, tpm;
  std::optional<std::uint32_t> slots, max_waiting, threads, event_loops, max_output_tokens;
  std::optional<double> load_slowdown;
  std::optional<std::size_t> max_body_bytes;
  std::vector<std::string> faults, models;
  bool reject_unknown_models = false;
};

// Flags override the config file, which overrides the defaults.
mock::MockConfig build_config(const MockOptions& o) {
  mock::MockConfig config = o.config_file.empty() ? mock::MockConfig{} : mock::load_mock_config_file(o.config_file);
  auto flag = [](const char* name, auto&& apply) {
    try {
      apply();
    } catch (const std::invalid_argument& e) {
      throw InputError(name, "", e.what());
    }
  };
  if (o.host) config.host = *o.host;
  if (o.port) {
    if (*o.port < 0 || *o.port > 65535) throw InputError("--port", "", fmt::format("{} is not a port (0-65535)", *o.port));
    config.port = static_cast<std::uint16_t>(*o.port);
  }
  if (o.seed) config.seed = *o.seed;
  if (o.ttft) flag("--ttft", [&] { config.ttft = parse_duration_distribution(*o.ttft); });
  if (o.itl) flag("--itl", [&] { config.itl = parse_duration_distribution(*o.itl); });
  if (o.output_tokens) {
    flag("--output-tokens", [&] { config.output_tokens = parse_count_distribution(*o.output_tokens); });
  }
  if (o.prefill) flag("--prefill-per-token", [&] { config.prefill_per_prompt_token = parse_duration(*o.prefill); });
  if (o.trickle_itl) flag("--trickle-itl", [&] { config.trickle_itl = parse_duration(*o.trickle_itl); });
  if (o.stall_timeout) flag("--stall-timeout", [&] { config.stall_timeout = parse_duration(*o.stall_timeout); });
  if (o.idle_timeout) flag("--idle-timeout", [&] { config.idle_timeout = parse_duration(*o.idle_timeout); });
  if (o.slots) config.decode_slots = *o.slots;
  if (o.max_waiting) config.max_waiting = *o.max_waiting;
  if (o.load_slowdown) config.load_slowdown = *o.load_slowdown;
  if (o.rpm) config.rate_limit_rpm = *o.rpm;
  if (o.tpm) config.rate_limit_tpm = *o.tpm;
  if (o.threads) config.threads = *o.threads;
  if (o.event_loops) config.event_loops = *o.event_loops;
  if (o.max_output_tokens) config.max_output_tokens = *o.max_output_tokens;
  if (o.max_body_bytes) config.max_body_bytes = *o.max_body_bytes;
  if (!o.models.empty()) config.models = o.models;
  if (o.reject_unknown_models) config.reject_unknown_models = true;
  for (const std::string& spec : o.faults) flag("--fault", [&] { mock::add_fault_spec(config, spec); });
  if (o.api_key_env) {
    const char* key = std::getenv(o.api_key_env->c_str());
    if (key == nullptr || *key == '\0') {
      throw InputError("--api-key-env", "", fmt::format("environment variable '{}' is not set or empty", *o.api_key_env));
    }
    config.api_key = key;
  }
  try {
    mock::validate(config);
  } catch (const std::invalid_argument& e) {
    // validate() names the config key; when a flag set that key, the error names the flag.
    const std::string_view message = e.what();
    const struct {
      std::string_view key;
      bool given;
      const char* flag;
    } flags_by_key[] = {
        {"ttft:", o.ttft.has_value(), "--ttft"},
        {"itl:", o.itl.has_value(), "--itl"},
        {"output_tokens:", o.output_tokens.has_value(), "--output-tokens"},
        {"event_loops:", o.event_loops.has_value(), "--event-loops"},
        {"prefill_per_prompt_token:", o.prefill.has_value(), "--prefill-per-token"},
        {"load_slowdown:", o.load_slowdown.has_value() || o.slots.has_value(), "--load-slowdown"},
        {"fault", !o.faults.empty(), "--fault"},
        {"max_output_tokens:", o.max_output_tokens.has_value(), "--max-output-tokens"},
        {"trickle_itl:", o.trickle_itl.has_value(), "--trickle-itl"},
        {"stall_timeout:", o.stall_timeout.has_value(), "--stall-timeout"},
        {"idle_timeout:", o.idle_timeout.has_value(), "--idle-timeout"},
    };
    std::string where = o.config_file.empty() ? "flags" : o.config_file;
    for (const auto& f : flags_by_key) {
      if (f.given && message.starts_with(f.key)) where = f.flag;
    }
    throw InputError(where, "", e.what());
  }
  return config;
}

// A bind failure in the words of the flag to change: which address is taken, and the way out.
InputError listen_error(const std::system_error& e, const mock::MockConfig& config) {
  const std::string address = mock::listen_address_text(config);
  switch (e.code().value()) {
    case EADDRINUSE:
      return InputError("--port", "",
                        fmt::format("{} is already in use (another server is listening there); "
                                    "choose another --port, or --port 0 for any free port",
                                    address));
    case EACCES:
      return InputError("--port", "",
                        fmt::format("permission denied listening on {} (ports below 1024 need privileges); "
                                    "choose another --port, or --port 0 for any free port",
                                    address));
    case EADDRNOTAVAIL:
      return InputError("--host", "",
                        fmt::format("{} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or a local "
                                    "interface's address",
                                    config.host));
    default:
      return InputError("--host/--port", "",
                        fmt::format("cannot listen on {}: {}", address, e.code().message()));
  }
}

bool is_loopback(const std::string& host) { return host.rfind("127.", 0) == 0 || host == "::1"; }

int run_mock(const MockOptions& options) {
  mock::MockConfig config = build_config(options);
  mock::EngineKind engine{};
  try {
    engine = mock::parse_engine_kind(*options.engine);
  } catch (const std::invalid_argument& e) {
    throw InputError("--engine", "", e.what());
  }
  // A name such as localhost is resolved here, so a typo is an input error naming the flag
  // (not a resolver failure after start-up) and the banner shows the address listened on.
  try {
    config.host = mock::resolve_listen_host(config.host);
  } catch (const std::invalid_argument& e) {
    throw InputError("--host", "", e.what());
  }
  install_interrupt_handlers();
  mock::MockServer server(config, engine);
  try {
    server.start();
  } catch (const std::system_error& e) {
    throw listen_error(e, config);
  }
  // The first stdout line is a contract: scripts and the compat tests parse the URL from it.
  std::fprintf(stdout, "llmbench mock listening on %s (engine %s)\n", server.base_url().c_str(),
               std::string(mock::engine_kind_name(engine)).c_str());
  std::fflush(stdout);
  if (!is_loopback(config.host)) {
    fmt::print(stderr, "llmbench mock: WARNING: listening on {}{}: reachable from other machines\n", config.host,
               config.host == "0.0.0.0" || config.host == "::" ? " (all interfaces)" : "");
  }
  fmt::print(stderr,
             "llmbench mock: bound to {}{}; ttft {}, itl {}, output tokens {}, seed {}. Ctrl-C stops.\n",
             config.host, is_loopback(config.host) ? " (loopback only; use --host to expose it)" : "",
             format_duration_distribution(config.ttft), format_duration_distribution(config.itl),
             format_count_distribution(config.output_tokens), config.seed);
  // Polling the interrupt flag is the one shutdown path (common/interrupt.h).
  while (!interrupt_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  server.stop();
  fmt::print(stderr, "llmbench mock: stopped\n");
  return kExitOk;
}

}  // namespace

LLMBENCH_REGISTER_COMMAND(
    "mock", "Run the mock OpenAI/Ollama-compatible LLM provider (latency model, faults, limits)", 10,
    [](CLI::App& app) -> CommandRunner {
      auto o = std::make_shared<MockOptions>();
      app.add_option("--config", o->config_file, "TOML file with mock settings (flags override it)")
          ->check(CLI::ExistingFile);
      app.add_option("--host", o->host,
                     "Address or host name to listen on (default 127.0.0.1: loopback only; "
                     "localhost resolves)");
      app.add_option("--port", o->port, "Port (default 8000; 0 = any free port, printed on start)");
      app.add_option("--engine", o->engine, "Server engine: asio (default, event loops) or httplib (threads)");
      app.add_option("--event-loops", o->event_loops,
                     "asio engine: event-loop threads (default 1; 0 = one per core; at most 64)");
      app.add_option("--threads", o->threads, "httplib engine: worker threads = concurrent connections (0 = auto)");
      app.add_option("--seed", o->seed, "Seed of every random draw (default 0)");
      app.add_option("--ttft", o->ttft, "Time to first token: 50ms, uniform(40ms,60ms), normal(50ms,5ms), ...");
      app.add_option("--itl", o->itl, "Inter-token latency, drawn per token: 10ms, exponential(10ms), ...");
      app.add_option("--output-tokens", o->output_tokens, "Tokens per response: 32, uniform(16,64), ...");
      app.add_option("--prefill-per-token", o->prefill, "Added to TTFT per prompt token (e.g. 0.1ms)");
      app.add_option("--slots", o->slots, "Decode slots: requests generating at once (0 = unlimited)");
      app.add_option("--max-waiting", o->max_waiting, "Requests queued for a slot before 429 (default 1000)");
      app.add_option("--load-slowdown", o->load_slowdown,
                     "Latency factor with all slots busy (llm-d's time-factor-under-load; needs --slots >= 2)");
      app.add_option("--rpm", o->rpm, "Rate limit: requests per minute (0 = none)");
      app.add_option("--tpm", o->tpm, "Rate limit: tokens per minute (0 = none)");
      app.add_option("--fault", o->faults, "KIND=RATE, repeatable: 429, 500, 503, stream_error, drop, stall, trickle");
      app.add_option("--trickle-itl", o->trickle_itl, "Inter-token latency under the trickle fault (default 500ms)");
      app.add_option("--stall-timeout", o->stall_timeout, "A stalled request is closed after this (default 300s)");
      app.add_option("--idle-timeout", o->idle_timeout, "Idle keep-alive connections are closed after this (60s)");
      app.add_option("--model", o->models, "Model name served by /v1/models (repeatable; default mock-model)");
      app.add_flag("--reject-unknown-models", o->reject_unknown_models, "404 for a model not listed by --model");
      app.add_option("--api-key-env", o->api_key_env,
                     "Require 'Authorization: Bearer KEY' with KEY read from this environment variable");
      app.add_option("--max-output-tokens", o->max_output_tokens, "Upper bound of any response length");
      app.add_option("--max-body-bytes", o->max_body_bytes, "Larger request bodies get 413 (default 4 MiB)");
      return [o] { return run_mock(*o); };
    });

}  // namespace llmbench::cli
