// llmbench: one binary, one subcommand per job (mock, run, dataset, report, compare, gate, merge).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <map>

#include "cli/cli_errors.h"
#include "cli/command_registry.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "common/version.h"

namespace llmbench::cli {

namespace {
std::vector<CommandSpec>& registry() {
  static std::vector<CommandSpec> commands;
  return commands;
}
}  // namespace

bool register_command(CommandSpec spec) {
  registry().push_back(std::move(spec));
  return true;
}

const std::vector<CommandSpec>& registered_commands() { return registry(); }

}  // namespace llmbench::cli

int main(int argc, char** argv) {
  using namespace llmbench;
  CLI::App app{"llmbench: load testing and benchmarks for LLM APIs (OpenAI-compatible and Ollama)",
               "llmbench"};
  app.set_version_flag("--version", fmt::format("llmbench {} ({})", kVersion, kBuildFlavor));
  // Not require_subcommand(): CLI11 checks that before unknown flags, so `llmbench --typo`
  // would say "a subcommand is required" instead of naming --typo.
  app.require_subcommand(0, 1);
  app.footer(
      "Exit codes: 0 ok, 1 run failed, 2 usage or input error, 3 gate failed, 130 interrupted.\n"
      "Run 'llmbench COMMAND --help' for a command's options. Docs: docs/cli.md");

  auto commands = cli::registered_commands();
  std::sort(commands.begin(), commands.end(),
            [](const cli::CommandSpec& a, const cli::CommandSpec& b) { return a.order < b.order; });
  std::map<CLI::App*, cli::CommandRunner> runners;
  for (const cli::CommandSpec& spec : commands) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    runners[sub] = spec.setup(*sub);
  }
  cli::name_option_types(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Exit 0 for --help/--version, 2 for usage errors (CLI11's own codes are 106+).
    return cli::report_parse_error(app, e);
  }

  if (app.get_subcommands().empty()) {
    // A newcomer's first `llmbench`: where to start, not the whole option list (that is --help).
    // Still exit 2, so a script that lost its command fails.
    fmt::print(stderr,
               "llmbench: load testing and benchmarks for LLM APIs. No command given; to start:\n"
               "  make demo              in the source tree: build, run the quickstart against the embedded mock\n"
               "  llmbench run --help    measure your own endpoint or scenario file\n"
               "  llmbench --help        every command: mock, run, dataset, report, compare, gate, merge\n"
               "Docs: docs/quickstart.md and docs/cli.md in the source tree\n");
    return kExitUsage;
  }

  for (auto& [sub, run] : runners) {
    if (sub->parsed()) {
      try {
        return run();
      } catch (const InputError& e) {
        fmt::print(stderr, "llmbench {}: error: {}\n", sub->get_name(), e.what());
        return kExitUsage;
      } catch (const std::exception& e) {
        fmt::print(stderr, "llmbench {}: error: {}\n", sub->get_name(), e.what());
        return kExitRunFailed;
      }
    }
  }
  return kExitUsage;
}
