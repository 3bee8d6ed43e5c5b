#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace llmbench::cli {

// Command-line errors in llmbench's voice. CLI11 reports an unknown flag or subcommand as
// "The following argument was not expected: X", with no program prefix and no hint; a typo
// deserves "llmbench run: error: unknown flag --concurency (did you mean --concurrency?)".

// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
// transpositions each cost 1 (a swapped pair of letters is one typo, not two).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate `word` most likely meant: the nearest by edit_distance within a budget that
// grows with the word's length (1 for short words, up to 3), or else the only candidate that
// `word` is a prefix of. "" when nothing is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// Gives the string-bound options a type in --help (INT, FLOAT, DURATION, ...) where CLI11
// can only say TEXT: the run command's ad-hoc flags are strings because they become scenario
// overrides, checked later with the scenario's own rules. Call once every subcommand is set up.
void name_option_types(CLI::App& app);

// Prints `e` on stderr as "llmbench[ COMMAND]: error: ..." (with a suggestion for an unknown
// flag or subcommand) and returns the exit code: 0 for --help/--version (printed as CLI11
// does), else kExitUsage.
int report_parse_error(CLI::App& app, const CLI::ParseError& e);

}  // namespace llmbench::cli
