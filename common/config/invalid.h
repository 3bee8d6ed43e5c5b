#pragma once

#include <stdexcept>
#include <string>

namespace llmbench::config {

// A value a validator refuses, typed: the key (relative to the object validated, e.g. "min" or
// "load_slowdown") and the problem. The reader that knows where the key came from (file:line
// or a flag) and its full name (prompts.min) turns it into an InputError, so no message is
// split again. what() is "key: problem" for callers that only print it.
class Invalid : public std::invalid_argument {
 public:
  Invalid(std::string key, std::string problem)
      : std::invalid_argument(key + ": " + problem), key_(std::move(key)), problem_(std::move(problem)) {}
  const std::string& key() const noexcept { return key_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string key_;
  std::string problem_;
};

}  // namespace llmbench::config
