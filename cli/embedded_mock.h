#pragma once

#include "harness/load/runner.h"
#include "harness/load/suite_spec.h"
#include "mock_provider/mock_config.h"
#include "mock_provider/mock_server.h"

namespace llmbench::cli {

// The command layer composes the mock and the harness: a suite whose target is `mock` gets its
// mock read from [target] (engine, [target.mock]) with the mock's own schema, before anything
// runs, and started on 127.0.0.1 for the runner, which only sees a URL.
struct EmbeddedMock {
  mock::MockConfig config;
  mock::EngineKind engine = mock::EngineKind::asio;
};

// Throws llmbench::InputError "file:line: target.mock.KEY: problem". A mock that checks keys
// reads them from target.mock.api_key_env; the client reads the same variable unless
// target.api_key_env names another, so `target`'s endpoint may change.
EmbeddedMock read_embedded_mock(load::TargetSpec& target);

// The embedded mock's settings as report.json echoes them (config.target.mock).
boost::json::object mock_echo(const EmbeddedMock& mock);

// The latency the mock is configured with, when it is fixed (no distribution, no prefill or
// load slowdown): the reference of efficiency ratios.
std::optional<load::KnownLatency> known_latency(const mock::MockConfig& config);

}  // namespace llmbench::cli
