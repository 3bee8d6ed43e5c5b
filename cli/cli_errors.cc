#include "cli/cli_errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "common/exit_codes.h"

namespace llmbench::cli {

namespace {

// The types CLI11 cannot see: these flags bind strings (scenario overrides, distributions).
// Keyed by command and flag; a flag renamed or removed simply stops matching.
const std::map<std::pair<std::string_view, std::string_view>, std::string_view>& option_types() {
  static const std::map<std::pair<std::string_view, std::string_view>, std::string_view> types = {
      {{"run", "--set"}, "KEY=VALUE"},
  };
  return types;
}

// `app`'s options and those of its option groups (nameless subcommands).
void collect_options(CLI::App& app, std::vector<CLI::Option*>& out) {
  for (CLI::Option* option : app.get_options([](CLI::Option*) { return true; })) out.push_back(option);
  for (CLI::App* group : app.get_subcommands([](CLI::App* sub) { return sub->get_name().empty(); })) {
    collect_options(*group, out);
  }
}

std::vector<CLI::App*> named_subcommands(CLI::App& app) {
  return app.get_subcommands([](CLI::App* sub) { return !sub->get_name().empty(); });
}

// The top app and the subcommands given, outermost first: the deepest was being parsed
// when the error came.
std::vector<CLI::App*> parsed_path(CLI::App& app) {
  std::vector<CLI::App*> path{&app};
  for (;;) {
    CLI::App* next = nullptr;
    for (CLI::App* sub : named_subcommands(*path.back())) {
      if (sub->parsed()) next = sub;
    }
    if (next == nullptr) return path;
    path.push_back(next);
  }
}

std::string command_path(const CLI::App& app, const CLI::App& root) {
  if (&app == &root) return "llmbench";
  std::string path = app.get_name();
  for (const CLI::App* parent = app.get_parent(); parent != nullptr && parent != &root;
       parent = parent->get_parent()) {
    path = parent->get_name() + " " + path;
  }
  return "llmbench " + path;
}

std::vector<std::string> flag_names(CLI::App& app) {
  std::vector<CLI::Option*> options;
  collect_options(app, options);
  std::vector<std::string> names;
  for (const CLI::Option* option : options) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

// The words after ": " in CLI11's "The following arguments were not expected: a b".
std::vector<std::string> words_of_message(const CLI::ParseError& e) {
  std::vector<std::string> args;
  const std::string message = e.what();
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos) return args;
  std::string word;
  for (std::size_t i = colon + 2; i <= message.size(); ++i) {
    if (i == message.size() || message[i] == ' ') {
      if (!word.empty()) args.push_back(std::move(word));
      word.clear();
    } else {
      word += message[i];
    }
  }
  return args;
}

std::string describe_unexpected(CLI::App& app, bool top_level, const std::string& arg) {
  if (arg.size() > 1 && arg[0] == '-') {
    const std::string flag = arg.substr(0, arg.find('='));
    const std::string hint = closest_match(flag, flag_names(app));
    return hint.empty() ? fmt::format("unknown flag {}", flag)
                        : fmt::format("unknown flag {} (did you mean {}?)", flag, hint);
  }
  if (top_level) {
    std::vector<std::string> names;
    for (const CLI::App* sub : named_subcommands(app)) names.push_back(sub->get_name());
    const std::string hint = closest_match(arg, names);
    return hint.empty() ? fmt::format("unknown command '{}' (commands: {})", arg, fmt::join(names, ", "))
                        : fmt::format("unknown command '{}' (did you mean '{}'?)", arg, hint);
  }
  return fmt::format("unexpected argument '{}'", arg);
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: the transposition looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  auto strip = [](std::string_view s) {
    while (!s.empty() && s.front() == '-') s.remove_prefix(1);
    return s;
  };
  const std::string_view bare = strip(word);
  if (bare.empty()) return "";
  const std::size_t budget = std::clamp<std::size_t>(bare.size() / 4, 1, 3);
  std::string best;
  std::size_t best_distance = budget + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(bare, strip(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (!best.empty()) return best;
  std::string prefixed;
  for (const std::string& candidate : candidates) {
    if (strip(candidate).starts_with(bare)) {
      if (!prefixed.empty() && prefixed != candidate) return "";  // ambiguous
      prefixed = candidate;
    }
  }
  return prefixed;
}

void name_option_types(CLI::App& app) {
  for (CLI::App* sub : named_subcommands(app)) {
    std::vector<CLI::Option*> options;
    collect_options(*sub, options);
    for (CLI::Option* option : options) {
      for (const std::string& name : option->get_lnames()) {
        const auto it = option_types().find({sub->get_name(), "--" + name});
        if (it != option_types().end()) option->type_name(std::string(it->second));
      }
    }
  }
}

int report_parse_error(CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    app.exit(e);  // --help, --version: printed the way CLI11 prints them
    return kExitOk;
  }
  const std::vector<CLI::App*> path = parsed_path(app);
  std::string who = command_path(*path.back(), app);
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    // Each unexpected argument stays with the (sub)command it was given to: that one's flags
    // are the candidates for a suggestion.
    bool any = false;
    for (CLI::App* owner : path) {
      bool after_unknown_flag = false;
      for (const std::string& arg : owner->remaining(false)) {
        // "--prot 0": the 0 is the unknown flag's value, not a second problem.
        const bool value_of_previous = after_unknown_flag && !arg.starts_with('-');
        after_unknown_flag = arg.size() > 1 && arg[0] == '-' && arg.find('=') == std::string::npos;
        if (value_of_previous) continue;
        who = command_path(*owner, app);
        fmt::print(stderr, "{}: error: {}\n", who, describe_unexpected(*owner, owner == &app, arg));
        any = true;
        // After an unknown command, the rest are that command's arguments: no more noise.
        if (owner == &app && !arg.starts_with('-')) break;
      }
    }
    if (!any) {
      for (const std::string& arg : words_of_message(e)) {
        fmt::print(stderr, "{}: error: {}\n", who, describe_unexpected(*path.back(), path.size() == 1, arg));
      }
    }
  } else {
    fmt::print(stderr, "{}: error: {}\n", who, e.what());
  }
  fmt::print(stderr, "Run '{} --help' for the options.\n", who);
  return kExitUsage;
}

}  // namespace llmbench::cli
