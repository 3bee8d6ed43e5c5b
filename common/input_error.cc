#include "common/input_error.h"

namespace llmbench {

namespace {
std::string compose(const std::string& where, const std::string& field, const std::string& problem) {
  std::string message = where;
  if (!field.empty()) message += (message.empty() ? "" : ": ") + field;
  if (!message.empty()) message += ": ";
  return message + problem;
}
}  // namespace

InputError::InputError(const std::string& where, const std::string& field, const std::string& problem)
    : std::runtime_error(compose(where, field, problem)) {}

}  // namespace llmbench
