#pragma once

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/input_error.h"

namespace llmbench {

// One name table per enum, used by parsing, JSON and printing alike, so a name cannot be
// spelled two ways. An enum opts in with a constexpr function found by argument-dependent
// lookup, next to the enum:
//   constexpr auto enum_names(Color) { return std::to_array<EnumName<Color>>({{Color::red, "red"}}); }
// The first entry of a value is its name; to_name of a value missing from the table is "unknown".
template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires(E e) { enum_names(e)[0].name; };

template <NamedEnum E>
constexpr std::string_view to_name(E value) noexcept {
  for (const auto& entry : enum_names(value))
    if (entry.value == value) return entry.name;
  return "unknown";
}

template <NamedEnum E>
constexpr std::optional<E> from_name(std::string_view name) noexcept {
  for (const auto& entry : enum_names(E{}))
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

// The accepted names for messages: "a", "b", "c".
template <NamedEnum E>
std::string quoted_names() {
  std::string names;
  for (const auto& entry : enum_names(E{}))
    names += (names.empty() ? "\"" : ", \"") + std::string(entry.name) + "\"";
  return names;
}

// from_name, or an InputError naming where, the field and the accepted names.
template <NamedEnum E>
E parse_name(std::string_view name, const std::string& where, const std::string& field) {
  if (const std::optional<E> value = from_name<E>(name)) return *value;
  throw InputError(where, field, fmt::format("\"{}\" is not one of {}", name, quoted_names<E>()));
}

}  // namespace llmbench

// fmt::format("{}", value) prints the table's name.
template <llmbench::NamedEnum E>
struct fmt::formatter<E> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(E value, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(llmbench::to_name(value), ctx);
  }
};
