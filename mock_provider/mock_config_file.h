#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>

#include "common/config/schema.h"
#include "mock_provider/mock_config.h"

namespace llmbench::mock {

// The mock's keys, declared once (common/config/schema.h). The table drives mock config files,
// a scenario's [target.mock], `llmbench mock`'s flags and --help, the echo in report.json and
// the key reference in docs/mock.md (tests/mock_provider/mock_config_file_test.cc compares).
const config::Schema<MockConfig>& mock_schema();

// Applies the keys of a TOML table (a mock config file, or a scenario's [target.mock]) on top
// of `config`, then validate(). Throws llmbench::InputError "source:line: PREFIXkey: problem"
// (a value from a flag is named by the flag).
void apply_mock_config_table(MockConfig& config, const toml::table& table, const std::string& source_name,
                             const std::string& prefix = "");

// A mock config file's table: its top level, or its [mock] table when that is all it holds.
toml::table load_mock_config_table(const std::filesystem::path& path);
MockConfig load_mock_config_file(const std::filesystem::path& path);

// "KIND=RATE" (e.g. "429=0.05") as --fault reads it: sets (replaces) KIND's probability.
// Throws llmbench::InputError naming --fault and the key (faults.KIND).
void add_fault_spec(MockConfig& config, std::string_view spec);

}  // namespace llmbench::mock
