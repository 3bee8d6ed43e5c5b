#pragma once

#include <toml++/toml.h>

#include <memory>
#include <string>

namespace llmbench::config {

// A TOML table whose keys another layer declares, kept as read, source positions included: the
// scenario reader (harness) keeps [target] this way, and the command layer reads its `engine`
// and [target.mock] with the mock's schema before anything runs, so errors still name
// file:line and the full key (target.mock.ttft) while the harness knows nothing of the mock.
struct Section {
  std::shared_ptr<const toml::table> document;  // keeps `table` and its sources alive
  const toml::table* table = nullptr;           // null: the file has no such table
  std::string source;                           // how errors name the file
  std::string key;                              // the table's full key, e.g. "target"

  const toml::node* get(std::string_view name) const { return table != nullptr ? table->get(name) : nullptr; }

  // "file:line" of a node; a value from a flag (--set KEY, --mock-ttft) is named by the flag alone.
  std::string where(const toml::node& node) const {
    const auto& src = node.source();
    const std::string file = src.path ? std::string(*src.path) : source;
    if (src.begin.line == 0 || file.rfind("--", 0) == 0) return file;
    return file + ":" + std::to_string(src.begin.line);
  }
};

}  // namespace llmbench::config
