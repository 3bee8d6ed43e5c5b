#pragma once

// `llmbench mock` as a separate child process on a free loopback port, for tests that need a
// server they can kill. The first stdout line carries the URL (docs/mock.md).
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/cli/process.h"

namespace llmbench::reliability {

struct MockChild {
  std::unique_ptr<clitest::ChildProcess> process;
  std::string url;  // http://127.0.0.1:PORT
  std::uint16_t port = 0;
};

// Starts `<bin> mock --port 0 <args>` and waits (bounded) for its URL line; on failure the
// returned port is 0 and a test failure has been recorded.
inline MockChild start_mock(const std::string& bin, const std::vector<std::string>& args) {
  using namespace std::chrono_literals;
  constexpr const char* kPrefix = "llmbench mock listening on ";
  MockChild mock;
  std::vector<std::string> argv = {bin, "mock", "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  mock.process = std::make_unique<clitest::ChildProcess>(argv);
  if (!mock.process->read_until(
          [](const std::string& o, const std::string&) { return o.find('\n') != std::string::npos; }, 20s)) {
    ADD_FAILURE() << "the mock printed no URL line:\n" << mock.process->out() << mock.process->err();
    return mock;
  }
  const std::string& out = mock.process->out();
  const std::string line = out.substr(0, out.find('\n'));
  if (line.rfind(kPrefix, 0) != 0) {
    ADD_FAILURE() << "unexpected first line: " << line;
    return mock;
  }
  const std::size_t start = std::string(kPrefix).size();
  mock.url = line.substr(start, line.find(' ', start) - start);
  mock.port = static_cast<std::uint16_t>(std::stoi(mock.url.substr(mock.url.rfind(':') + 1)));
  return mock;
}

}  // namespace llmbench::reliability
