#include "common/config/schema.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/duration.h"
#include "common/input_error.h"

namespace llmbench::config {

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date/time";
  }
}

std::int64_t read_integer(const toml::node& node, std::int64_t min, std::int64_t max) {
  const auto* i = node.as_integer();
  if (i == nullptr) throw Invalid("", "expected an integer, got " + type_name(node));
  if (i->get() < min) throw Invalid("", fmt::format("must be at least {}", min));
  if (i->get() > max) throw Invalid("", fmt::format("must be at most {}", max));
  return i->get();
}

double read_number(const toml::node& node, double min) {
  double v = 0;
  if (const auto* f = node.as_floating_point()) {
    v = f->get();
  } else if (const auto* i = node.as_integer()) {
    v = static_cast<double>(i->get());
  } else {
    throw Invalid("", "expected a number, got " + type_name(node));
  }
  if (!std::isfinite(v) || v < min) throw Invalid("", fmt::format("must be a number of at least {}", fmt_number(min)));
  return v;
}

bool read_bool(const toml::node& node) {
  if (const auto* b = node.as_boolean()) return b->get();
  throw Invalid("", "expected true or false, got " + type_name(node));
}

std::string read_string(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  throw Invalid("", "expected a string, got " + type_name(node));
}

std::chrono::nanoseconds read_duration(const toml::node& node, bool positive) {
  const auto d = parse_duration(read_string(node));  // std::invalid_argument names the text
  if (positive && d.count() <= 0) throw Invalid("", "must be longer than zero");
  return d;
}

Distribution read_distribution(const toml::node& node, bool durations) {
  if (const auto* i = node.as_integer(); i != nullptr && !durations) {
    if (i->get() < 1) throw Invalid("", "must be at least 1");
    return Distribution::fixed(static_cast<double>(i->get()));
  }
  if (node.as_string() == nullptr) {
    throw Invalid("", durations ? "expected a string (\"50ms\", \"normal(50ms,5ms)\"), got " + type_name(node)
                                : "expected an integer or a distribution string, got " + type_name(node));
  }
  const std::string text = node.as_string()->get();
  return durations ? parse_duration_distribution(text) : parse_count_distribution(text);
}

std::string show_duration(std::chrono::nanoseconds d) { return format_duration(d); }

std::string fmt_number(double v) { return fmt::format("{:g}", v); }

std::string markdown_default(const boost::json::value& value) {
  if (value.is_null()) return "see meaning";
  std::string shown = value.is_string() ? std::string(value.get_string())
                      : value.is_double() ? fmt_number(value.get_double())
                                          : boost::json::serialize(value);
  if (value.is_object() && value.get_object().empty()) shown = "none";
  return shown.empty() ? "none" : shown;
}

std::string markdown_row(std::string_view key, std::string_view type, const boost::json::value& default_value,
                         std::string_view flag, std::string_view doc) {
  const auto cell = [](std::string_view text) {  // a table cell: "|" is escaped
    std::string out;
    for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  return fmt::format("| `{}` | {} | `{}` | {} | {} |\n", key, cell(type), markdown_default(default_value),
                     flag.empty() ? std::string("") : fmt::format("`{}`", flag), cell(doc));
}

std::string Place::where(const toml::node& node) const {
  const auto& src = node.source();
  const std::string file = src.path ? std::string(*src.path) : source;
  if (src.begin.line == 0 || file.rfind("--", 0) == 0) return file;
  return fmt::format("{}:{}", file, src.begin.line);
}

void fail(const Place& place, const toml::node& node, std::string_view key, const std::string& problem) {
  throw InputError(place.where(node), place.prefix + std::string(key), problem);
}

void unknown_key(const Place& place, const toml::node& node, std::string_view key,
                 const std::vector<std::string_view>& keys) {
  fail(place, node, key, fmt::format("unknown key (expected one of: {})", fmt::join(keys, ", ")));
}

void only_keys(const toml::table& table, const Place& place, const std::vector<std::string_view>& keys) {
  for (auto&& [key, node] : table) {
    if (std::find(keys.begin(), keys.end(), key.str()) == keys.end()) unknown_key(place, node, key.str(), keys);
  }
}

namespace {
// A flag's text as a TOML value: 8, 2.5, true or [1, 2] as TOML; anything else (20ms) as text.
toml::table value_of(std::string_view flag, const std::string& text) {
  try {
    return toml::parse("v = " + text, std::string(flag));
  } catch (const toml::parse_error&) {
    std::string quoted = "\"";
    for (const char c : text) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    try {
      return toml::parse("v = " + quoted + "\"", std::string(flag));
    } catch (const toml::parse_error& e) {
      throw InputError(std::string(flag), "", "cannot use this value: " + std::string(e.description()));
    }
  }
}
}  // namespace

void put_flag_value(toml::table& table, std::string_view key, std::string_view flag, FlagForm form,
                    const std::vector<std::string>& args) {
  if (args.empty()) return;
  // Nodes are moved, never copied: a copied node forgets its source, and errors must name the flag.
  switch (form) {
    case FlagForm::on: {
      toml::table holder = toml::parse("v = true", std::string(flag));
      table.insert_or_assign(key, std::move(*holder.get("v")));
      return;
    }
    case FlagForm::value:
    case FlagForm::text: {
      toml::table holder = form == FlagForm::text ? toml::parse("v = \"\"", std::string(flag)) : value_of(flag, args.back());
      if (form == FlagForm::text) *holder.get("v")->as_string() = args.back();
      table.insert_or_assign(key, std::move(*holder.get("v")));
      return;
    }
    case FlagForm::list: {
      toml::table holder = toml::parse("v = []", std::string(flag));
      for (const std::string& arg : args) holder.get("v")->as_array()->push_back(arg);
      table.insert_or_assign(key, std::move(*holder.get("v")));
      return;
    }
    case FlagForm::pairs: {
      if (table.get(key) == nullptr || !table.get(key)->is_table()) {
        toml::table holder = toml::parse("v = {}", std::string(flag));
        table.insert_or_assign(key, std::move(*holder.get("v")));
      }
      toml::table& pairs = *table.get(key)->as_table();
      for (const std::string& arg : args) {
        const auto eq = arg.find('=');
        if (eq == std::string::npos || eq == 0) {
          throw InputError(std::string(flag), "", fmt::format("'{}' is not KEY=VALUE", arg));
        }
        toml::table holder = value_of(flag, arg.substr(eq + 1));
        pairs.insert_or_assign(arg.substr(0, eq), std::move(*holder.get("v")));
      }
      return;
    }
  }
}

}  // namespace llmbench::config
