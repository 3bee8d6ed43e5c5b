#pragma once

#include <toml++/toml.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <type_traits>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/invalid.h"
#include "common/config/section.h"
#include "common/distribution.h"

namespace llmbench::config {

// One declaration per configuration key (docs/architecture.md, "Configuration"): a layer lists
// its keys once, in a Schema, and that table drives reading TOML (file:line: full.key: problem),
// --set (an override is a TOML value like any other), the command-line flags where one exists,
// the echo in report.json, --help and the key reference in docs/*.md (checked by a test).
// Adding a key is one entry here plus the code that uses the member.

// How a flag's arguments become the key's value: `--x V`, repeated `--x A --x B` (an array),
// repeated `--x K=V` (a table), or a switch `--x` (true).
// `text` is `value` taken as text as given, never as TOML (--model 8 is the name "8").
enum class FlagForm : std::uint8_t { value, text, list, pairs, on };

constexpr bool repeatable(FlagForm form) { return form == FlagForm::list || form == FlagForm::pairs; }

template <typename T>
struct Field {
  std::string_view key;         // as in the file and in report.json
  std::string type;             // for docs: "integer 0-64", "duration", "distribution of durations"
  std::string_view doc;         // one line
  std::function<void(T&, const toml::node&)> read;  // throws Invalid("", problem) or std::invalid_argument
  std::function<boost::json::value(const T&)> show;  // the value in report.json and as a default in docs
  bool echoed = true;           // in report.json (false: machine-local, or a secret's variable)
  std::string_view flag = {};   // the `llmbench mock` flag, where one exists
  FlagForm flag_form = FlagForm::value;
  std::string_view value_name = {};  // in --help: INT, DURATION|DIST, ...
};

template <typename T>
struct Schema {
  std::vector<Field<T>> fields;
  std::function<void(const T&)> validate;  // cross-field rules on the typed values; throws Invalid

  const Field<T>* find(std::string_view key) const {
    for (const auto& f : fields) {
      if (f.key == key) return &f;
    }
    return nullptr;
  }
};

// ---- the value readers every field uses: each throws Invalid("", problem) -------------------

std::string type_name(const toml::node& node);
std::int64_t read_integer(const toml::node& node, std::int64_t min, std::int64_t max);
double read_number(const toml::node& node, double min);
bool read_bool(const toml::node& node);
std::string read_string(const toml::node& node);
std::chrono::nanoseconds read_duration(const toml::node& node, bool positive);
// A distribution string ("50ms", "normal(50ms,5ms)"); counts also take an integer >= 1.
Distribution read_distribution(const toml::node& node, bool durations);
std::string show_duration(std::chrono::nanoseconds d);
std::string fmt_number(double v);
std::string markdown_default(const boost::json::value& value);  // "50ms", "0", "none"
std::string markdown_row(std::string_view key, std::string_view type, const boost::json::value& default_value,
                         std::string_view flag, std::string_view doc);

// ---- declaring fields ---------------------------------------------------------------------

// `get` is a member pointer (&MockConfig::seed) or an accessor ([](Spec& s) -> auto& { return
// s.plan.seed; }): std::invoke gives the member either way.
template <typename T, typename Get>
using MemberOf = std::remove_cvref_t<std::invoke_result_t<Get, T&>>;
template <typename T, typename Get>
const auto& member(Get get, const T& o) {
  return std::invoke(get, const_cast<T&>(o));  // read only
}

template <typename T, typename Get>
Field<T> integer(std::string_view key, Get get, std::int64_t min, std::int64_t max, std::string_view doc) {
  const std::string type = max == std::numeric_limits<std::int64_t>::max()
                               ? "integer >= " + std::to_string(min)
                               : "integer " + std::to_string(min) + "-" + std::to_string(max);
  return {key, type, doc,
          [=](T& o, const toml::node& n) { std::invoke(get, o) = static_cast<MemberOf<T, Get>>(read_integer(n, min, max)); },
          [=](const T& o) { return boost::json::value(member(get, o)); }, true, {}, FlagForm::value, "INT"};
}

template <typename T, typename Get>
Field<T> number(std::string_view key, Get get, double min, std::string_view doc) {
  return {key, "number >= " + fmt_number(min), doc,
          [=](T& o, const toml::node& n) { std::invoke(get, o) = read_number(n, min); },
          [=](const T& o) { return boost::json::value(member(get, o)); }, true, {}, FlagForm::value, "FLOAT"};
}

template <typename T, typename Get>
Field<T> boolean(std::string_view key, Get get, std::string_view doc) {
  return {key, "bool", doc, [=](T& o, const toml::node& n) { std::invoke(get, o) = read_bool(n); },
          [=](const T& o) { return boost::json::value(member(get, o)); }, true, {}, FlagForm::on, ""};
}

template <typename T, typename Get>
Field<T> text(std::string_view key, Get get, std::string_view doc) {
  return {key, "string", doc, [=](T& o, const toml::node& n) { std::invoke(get, o) = read_string(n); },
          [=](const T& o) { return boost::json::value(member(get, o)); }, true, {}, FlagForm::text, "TEXT"};
}

// A std::chrono duration of any resolution, written "500ms", "2s".
template <typename T, typename Get>
Field<T> duration(std::string_view key, Get get, bool positive, std::string_view doc) {
  using D = MemberOf<T, Get>;
  return {key, positive ? "duration > 0" : "duration", doc,
          [=](T& o, const toml::node& n) { std::invoke(get, o) = std::chrono::duration_cast<D>(read_duration(n, positive)); },
          [=](const T& o) { return boost::json::value(show_duration(member(get, o))); }, true, {}, FlagForm::text,
          "DURATION"};
}

template <typename T, typename Get>
Field<T> distribution(std::string_view key, Get get, bool durations, std::string_view doc) {
  return {key, durations ? "duration or distribution" : "integer or distribution", doc,
          [=](T& o, const toml::node& n) { std::invoke(get, o) = read_distribution(n, durations); },
          [=](const T& o) {
            return boost::json::value(durations ? format_duration_distribution(member(get, o))
                                                : format_count_distribution(member(get, o)));
          },
          true, {}, durations ? FlagForm::text : FlagForm::value, durations ? "DURATION|DIST" : "INT|DIST"};
}

// One of a few names, e.g. {{"sync", ExecutionModel::sync}, ...}.
template <typename T, typename Get, typename E = MemberOf<T, Get>>
Field<T> choice(std::string_view key, Get get, std::vector<std::pair<std::string_view, E>> names,
                std::string_view doc) {
  std::string type, quoted;
  for (const auto& [name, value] : names) {
    type += (type.empty() ? "`" : " | `") + std::string(name) + "`";
    quoted += (quoted.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  return {key, type, doc,
          [=](T& o, const toml::node& n) {
            const std::string text = read_string(n);
            for (const auto& [name, value] : names) {
              if (name == text) {
                std::invoke(get, o) = value;
                return;
              }
            }
            throw Invalid("", "\"" + text + "\" is not one of " + quoted);
          },
          [=](const T& o) {
            for (const auto& [name, value] : names) {
              if (value == member(get, o)) return boost::json::value(name);
            }
            return boost::json::value(nullptr);
          },
          true, {}, FlagForm::text, "NAME"};
}

// A key whose meaning depends on others (read by its layer's own rules, after the simple keys):
// declared here for the key list, docs and --help; `show` gives its echo (null: none).
template <typename T>
Field<T> ruled(std::string_view key, std::string type, std::string_view doc,
               std::function<boost::json::value(const T&)> show = {}) {
  return {key, std::move(type), doc, {}, show ? show : [](const T&) { return boost::json::value(nullptr); },
          static_cast<bool>(show), {}, FlagForm::value, "VALUE"};
}

// The same field with its command-line flag (and how repeated flags combine).
template <typename T>
Field<T> with_flag(Field<T> field, std::string_view flag, std::string_view value_name = {},
                   std::optional<FlagForm> form = std::nullopt) {
  field.flag = flag;
  if (!value_name.empty()) field.value_name = value_name;
  if (form) field.flag_form = *form;
  return field;
}

// ---- using a schema -------------------------------------------------------------------------

// Throws InputError "where: prefix.key: problem".
[[noreturn]] void fail(const Place& place, const toml::node& node, std::string_view key, const std::string& problem);
[[noreturn]] void unknown_key(const Place& place, const toml::node& node, std::string_view key,
                              const std::vector<std::string_view>& keys);

// Reads one key's node into `object` (a ruled key is left to its layer's rules).
template <typename T>
void read_field(const Field<T>& field, const toml::node& node, const Place& place, T& object) {
  if (!field.read) return;
  try {
    field.read(object, node);
  } catch (const Invalid& e) {
    // A problem inside a table (faults.boom) is located at that entry: its line, or its flag.
    const toml::node* inner = node.is_table() && !e.key().empty() ? node.as_table()->get(e.key()) : nullptr;
    fail(place, inner != nullptr ? *inner : node,
         e.key().empty() ? std::string(field.key) : std::string(field.key) + "." + e.key(), e.problem());
  } catch (const std::invalid_argument& e) {
    fail(place, node, field.key, e.what());
  }
}

// Throws InputError naming the first key of `table` outside `keys` (or the schema's), and those.
void only_keys(const toml::table& table, const Place& place, const std::vector<std::string_view>& keys);
template <typename T>
void only_declared_keys(const Schema<T>& schema, const toml::table& table, const Place& place) {
  std::vector<std::string_view> keys;
  for (const auto& f : schema.fields) keys.push_back(f.key);
  only_keys(table, place, keys);
}

// Reads every key of `table` into `object` with the schema, then its cross-field rules. Unknown
// keys, wrong types and out-of-range values throw InputError naming the node's file:line (or
// flag) and the full key; a cross-field rule names the key it refuses, where that key was set.
template <typename T>
void read(const Schema<T>& schema, const toml::table& table, const Place& place, T& object) {
  only_declared_keys(schema, table, place);
  for (auto&& [key, node] : table) read_field(*schema.find(key.str()), node, place, object);
  if (!schema.validate) return;
  try {
    schema.validate(object);
  } catch (const Invalid& e) {
    const std::string top = e.key().substr(0, e.key().find('.'));
    const toml::node* at = table.get(top);
    fail(place, at != nullptr ? *at : static_cast<const toml::node&>(table), e.key(), e.problem());
  }
}

// The object's echo for report.json: every echoed key, named as in the file.
template <typename T>
boost::json::object echo(const Schema<T>& schema, const T& object) {
  boost::json::object out;
  for (const auto& f : schema.fields) {
    if (!f.echoed) continue;
    boost::json::value v = f.show(object);
    if (!v.is_null()) out[f.key] = std::move(v);
  }
  return out;
}

// The key reference of docs/*.md: | Key | Type | Default | Flag | Meaning |, defaults taken
// from a default-constructed T.
template <typename T>
std::string markdown_reference(const Schema<T>& schema) {
  const T defaults{};
  std::string out = "| Key | Type | Default | Flag | Meaning |\n|---|---|---|---|---|\n";
  for (const auto& f : schema.fields) {
    out += markdown_row(f.key, f.type, f.show(defaults), f.flag, f.doc);
  }
  return out;
}

// A flag's arguments as the TOML value of its key, its source named by the flag so errors say
// "--slots: decode_slots: ...". `args` holds each occurrence's argument.
void put_flag_value(toml::table& table, std::string_view key, std::string_view flag, FlagForm form,
                    const std::vector<std::string>& args);

}  // namespace llmbench::config
