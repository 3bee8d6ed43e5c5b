#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

namespace llmbench {

// One line of a JSON Lines file: its parsed value, its place for messages ("file:line") and
// its 1-based line number.
struct JsonLine {
  const boost::json::value& value;
  const std::string& where;
  std::uint64_t number;
};

// Reads a JSON Lines file a line at a time (never whole), calling `each` for every non-blank
// line. Throws llmbench::InputError naming the file for one that cannot be opened ("cannot open
// <what>") or read, and "file:line" for a line that is not valid JSON. The one reader of the
// prompt files, ShareGPT JSONL datasets and request traces.
void for_each_json_line(const std::filesystem::path& path, std::string_view what,
                        const std::function<void(const JsonLine&)>& each);

// The same over an already open stream (`name` for messages), e.g. after peeking at its start.
void for_each_json_line(std::istream& in, const std::string& name, const std::function<void(const JsonLine&)>& each);

}  // namespace llmbench
