#pragma once

#include <unistd.h>

#include <cstdlib>

namespace llmbench::reports {

// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
inline bool stdout_wants_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

}  // namespace llmbench::reports
