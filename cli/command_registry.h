#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace llmbench::cli {

// A subcommand adds its options to `app` (already named and described) and returns the
// function that runs it after parsing; that function returns the process exit code
// (common/exit_codes.h). Each command lives in cli/<name>_command.cc and registers
// itself with a static LLMBENCH_REGISTER_COMMAND, so commands are added without editing main.
using CommandRunner = std::function<int()>;
using CommandSetup = std::function<CommandRunner(CLI::App& app)>;

struct CommandSpec {
  std::string name;
  std::string description;
  int order;  // position in --help
  CommandSetup setup;
};

bool register_command(CommandSpec spec);
const std::vector<CommandSpec>& registered_commands();

}  // namespace llmbench::cli

#define LLMBENCH_CONCAT_INNER(a, b) a##b
#define LLMBENCH_CONCAT(a, b) LLMBENCH_CONCAT_INNER(a, b)
#define LLMBENCH_REGISTER_COMMAND(...)                                           \
  [[maybe_unused]] static const bool LLMBENCH_CONCAT(llmbench_command_, __LINE__) = \
      ::llmbench::cli::register_command(::llmbench::cli::CommandSpec{__VA_ARGS__})
