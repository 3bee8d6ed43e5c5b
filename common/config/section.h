#pragma once

#include <toml++/toml.h>

#include <memory>
#include <string>

namespace llmbench::config {

// Where a table came from, for errors: its source (file name) and the full key it sits at
// ("target.mock."; empty at the top).
struct Place {
  std::string source;
  std::string prefix;

  // "file:line" of a node; a value from a flag (--set KEY, --slots) is named by the flag alone.
  std::string where(const toml::node& node) const;
};

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

  std::string where(const toml::node& node) const { return Place{source, key + "."}.where(node); }
};

}  // namespace llmbench::config
