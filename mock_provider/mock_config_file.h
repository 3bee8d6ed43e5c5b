#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "mock_provider/mock_config.h"

namespace llmbench::mock {

// Applies the keys of a TOML table (a mock config file, or a scenario's [target.mock]) on top
// of `config`. Keys: host, port, threads, seed, ttft, itl, output_tokens,
// prefill_per_prompt_token, decode_slots, max_waiting, load_slowdown, rate_limit_rpm,
// rate_limit_tpm, faults (table KIND = RATE), trickle_itl, stall_timeout, models,
// reject_unknown_models, api_key_env, max_body_bytes, max_output_tokens, idle_timeout.
// Unknown keys and wrong types throw llmbench::InputError "source:line: key: problem", the key
// after `prefix` (a scenario's "target.mock.").
void apply_mock_config_table(MockConfig& config, const toml::table& table, const std::string& source_name,
                             const std::string& prefix = "");

// Parses a TOML file whose top level (or a [mock] table) holds the keys above.
MockConfig load_mock_config_file(const std::filesystem::path& path);

// "KIND=RATE", e.g. "429=0.05": sets (replaces) the probability of KIND.
// Throws std::invalid_argument naming the spec and the valid kinds.
void add_fault_spec(MockConfig& config, std::string_view spec);

}  // namespace llmbench::mock
