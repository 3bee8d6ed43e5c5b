#pragma once

// Shared plumbing of the CLI tests: the binary's path, a private temp directory per test,
// file helpers and report.json parsing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <map>
#include <string>
#include <vector>

#include "tests/cli/process.h"

#ifndef LLMBENCH_BIN
#error "LLMBENCH_BIN must be the path of the llmbench executable"
#endif

namespace llmbench::clitest {

namespace fs = std::filesystem;

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Everything under `dir`, for "nothing was written" checks.
inline std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> found;
  if (!fs::exists(dir)) return found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) found.push_back(entry.path());
  }
  return found;
}

inline boost::json::value parse_json_file(const fs::path& path) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(read_text(path), ec);
  if (ec) ADD_FAILURE() << path << " is not JSON: " << ec.message();
  return v;
}

// Sum of one error kind over every step of every scenario of a report.json.
inline std::int64_t error_count(const boost::json::value& report, const std::string& kind) {
  std::int64_t total = 0;
  for (const auto& scenario : report.at("scenarios").as_array()) {
    for (const auto& step : scenario.at("steps").as_array()) {
      total += step.at("counts").at("errors").at(kind).to_number<std::int64_t>();
    }
  }
  return total;
}

inline std::int64_t count_field(const boost::json::value& report, const std::string& field) {
  std::int64_t total = 0;
  for (const auto& scenario : report.at("scenarios").as_array()) {
    for (const auto& step : scenario.at("steps").as_array()) {
      total += step.at("counts").at(field).to_number<std::int64_t>();
    }
  }
  return total;
}

// A test with its own temp directory (removed afterwards) and a runner for the binary.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/llmbench-clitest-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  const fs::path& dir() const { return dir_; }
  fs::path path(const std::string& name) const { return dir_ / name; }

  static std::string bin() { return LLMBENCH_BIN; }

  static ProcessResult llmbench(std::vector<std::string> args, const std::map<std::string, std::string>& env = {},
                                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    args.insert(args.begin(), bin());
    return run_process(args, env, timeout);
  }

  // Fast embedded-mock flags so a run of a few requests takes well under a second.
  static std::vector<std::string> fast_mock() {
    return {"--mock-ttft", "5ms", "--mock-itl", "1ms", "--mock-output-tokens", "4"};
  }

 private:
  fs::path dir_;
};

inline std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace llmbench::clitest
