#pragma once

#include <stdexcept>
#include <string>

namespace llmbench {

// Bad user input (scenario file, flag, report file). The CLI prints what() and exits 2.
// The message always names where: "file:line: field: problem", or "--flag: problem".
class InputError : public std::runtime_error {
 public:
  // `where` is a file path, "file:line", or a flag name; `field` may be empty.
  InputError(const std::string& where, const std::string& field, const std::string& problem);
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace llmbench
