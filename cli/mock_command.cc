// `llmbench mock`: the mock LLM provider as a standalone server.
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <map>
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
#include "common/config/schema.h"
#include "mock_provider/mock_config_file.h"
#include "mock_provider/mock_server.h"

namespace llmbench::cli {

namespace {

struct MockOptions {
  std::string config_file;
  std::string engine = "asio";
  // The arguments of each schema flag, by key; a switch stores "true" when given.
  std::map<std::string, std::vector<std::string>, std::less<>> args;
  std::map<std::string, bool, std::less<>> switches;
};

// Flags override the config file, which overrides the defaults. Both become one TOML table read
// with the mock's schema, each value's source naming the file line or the flag, so an error
// names the flag that set the key ("--slots: decode_slots: ...") with no table mapping them.
mock::MockConfig build_config(const MockOptions& o) {
  toml::table table = o.config_file.empty() ? toml::table{} : mock::load_mock_config_table(o.config_file);
  for (const auto& field : mock::mock_schema().fields) {
    if (field.flag.empty()) continue;
    const std::string key(field.key);
    if (field.flag_form == config::FlagForm::on) {
      if (o.switches.at(key)) config::put_flag_value(table, key, field.flag, field.flag_form, {"true"});
    } else {
      config::put_flag_value(table, key, field.flag, field.flag_form, o.args.at(key));
    }
  }
  mock::MockConfig config;
  mock::apply_mock_config_table(config, table, o.config_file.empty() ? "flags" : o.config_file);
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
    engine = mock::parse_engine_kind(options.engine);
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
      app.add_option("--engine", o->engine, "Server engine: asio (default, event loops) or httplib (threads)");
      // One flag per key of the mock's schema that declares one (mock_provider/mock_config_file.cc).
      for (const auto& field : mock::mock_schema().fields) {
        if (field.flag.empty()) continue;
        const std::string key(field.key);
        const std::string help = fmt::format("{} (key {}, default {})", field.doc, key,
                                             config::markdown_default(field.show(mock::MockConfig{})));
        if (field.flag_form == config::FlagForm::on) {
          app.add_flag(std::string(field.flag), o->switches[key], help);
        } else {
          app.add_option(std::string(field.flag), o->args[key], help)
              ->type_name(std::string(field.value_name))
              ->expected(1, config::repeatable(field.flag_form) ? CLI::detail::expected_max_vector_size : 1)
              ->multi_option_policy(config::repeatable(field.flag_form) ? CLI::MultiOptionPolicy::TakeAll
                                                                        : CLI::MultiOptionPolicy::TakeLast);
        }
      }
      return [o] { return run_mock(*o); };
    });

}  // namespace llmbench::cli
