#pragma once

#include <filesystem>
#include <string_view>

namespace llmbench {

// Writes `content` to `path` so that readers see either the old file or the whole new one:
// write to a temporary file in the same directory, fsync, then rename over the target.
// A crash mid-write never leaves a half-written report or destroys the previous one.
// Creates missing parent directories. Throws std::system_error naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace llmbench
