#pragma once

// The `llmbench run` command lines the reliability tests share: one step of `requests`
// requests against the embedded mock or a URL, reports written to `out`, and the flags that
// pick an execution model with the concurrency these tests use for it.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace llmbench::reliability {

// sync runs one request at a time; the others keep four in flight.
inline int concurrency_of(const std::string& mode) { return mode == "sync" ? 1 : 4; }

inline std::vector<std::string> mode_flags(const std::string& mode) {
  return {"--mode", mode, "--concurrency", std::to_string(concurrency_of(mode))};
}

// `bin run -q --op OP --requests N --out OUT`, then `extra` and the mode's flags.
inline std::vector<std::string> run_args(const std::string& bin, const std::string& op, int requests,
                                         const std::filesystem::path& out, const std::string& mode,
                                         const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {bin, "run", "-q", "--op", op, "--requests", std::to_string(requests),
                                   "--out", out.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  for (std::string& flag : mode_flags(mode)) args.push_back(std::move(flag));
  return args;
}

}  // namespace llmbench::reliability
