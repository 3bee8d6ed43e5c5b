#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/load/suite_spec.h"

namespace llmbench::scenario {

// A `--set key=value` override, applied to the TOML document before it is interpreted, so it
// is checked exactly like the file: `scenario.concurrency=8` (every [[scenario]]),
// `target.mock.ttft=20ms`, `defaults.requests=100`. The value is read as a TOML value when it
// is one (8, 2.5, true, [1, 2, 4], "text"), else as a string (20ms).
struct Override {
  std::string key;
  std::string value;
  std::string origin;  // how errors name it; empty: "--set KEY". The CLI's --concurrency etc. set their flag.
  bool as_string = false;  // the value is text as given, never read as TOML (--model 8 is the name "8")
};

// Splits "key=value"; throws llmbench::InputError naming --set on a malformed one.
Override parse_override(std::string_view text);

// Parses a suite file (docs/scenarios.md). Every problem throws llmbench::InputError
// "file:line: key: problem": TOML syntax, unknown keys, wrong types, zero or negative counts,
// impossible combinations (sync with concurrency > 1, batch in an open loop, ...).
// Relative prompt file paths are resolved against the file's directory.
load::SuiteSpec load_suite_file(const std::filesystem::path& path,
                                const std::vector<Override>& overrides = {});

// The same from text; `source_name` names it in errors, `base_dir` resolves relative paths.
load::SuiteSpec parse_suite(std::string_view toml_text, const std::string& source_name,
                            const std::vector<Override>& overrides = {},
                            const std::filesystem::path& base_dir = {});

}  // namespace llmbench::scenario
