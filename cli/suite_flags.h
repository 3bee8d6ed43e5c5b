#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/load/suite_spec.h"
#include "harness/scenario/scenario_file.h"

namespace llmbench::cli {

// How a command that reads a suite gets it: scenario files, `--set` overrides and the ad-hoc
// flags that override the keys they name (or, without a file, describe a one-scenario suite).
// `llmbench run` and `llmbench dataset` read suites through this, so both accept the same
// flags and give the same errors.
struct SuiteFlags {
  std::vector<std::string> files;
  std::vector<std::string> sets;
  // The [[scenario]] and [target] keys that have a flag (load::scenario_schema(), target_schema()),
  // by full key ("scenario.requests").
  std::map<std::string, std::optional<std::string>, std::less<>> keys;
  // --mock-KEY: the embedded mock's keys that have a flag here (kMockRunKeys), by key.
  std::map<std::string, std::vector<std::string>, std::less<>> mock;
};

// `--set KEY=VALUE` (repeatable).
void add_set_option(CLI::App& app, SuiteFlags& flags);

// The ad-hoc flags, one per [[scenario]] and [target] key that declares one (harness/load/suite_spec.cc)
// and --mock-KEY for the embedded mock's keys, in an option group.
void add_adhoc_flags(CLI::App& app, SuiteFlags& flags, const std::string& group = "Ad-hoc run / overrides",
                     const std::string& group_doc =
                         "Also override the same keys of scenario files (ad hoc: 100 requests unless --duration)");

// The suites the flags describe: each file with the overrides, or without files the ad-hoc suite
// ("command line"; 100 requests unless --requests or --duration). Every file is parsed before
// the first is returned. Throws llmbench::InputError "file:line: key: problem".
std::vector<load::SuiteSpec> load_suites(const SuiteFlags& flags);

}  // namespace llmbench::cli
