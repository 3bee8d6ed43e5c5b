#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

// Typed, lenient reads of a decoded reply's members (a missing or mistyped member reads as
// absent), shared by the wire decoders. Views point into the parsed value.
namespace llmbench::harness::json_fields {

inline std::string_view string_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  const boost::json::string& s = value->get_string();
  return {s.data(), s.size()};
}

inline const boost::json::object* object_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

inline const boost::json::array* array_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_array() ? &value->get_array() : nullptr;
}

// A non-negative integer that fits 32 bits.
inline std::optional<std::uint32_t> count_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_uint64() && value->get_uint64() <= std::numeric_limits<std::uint32_t>::max()) {
    return static_cast<std::uint32_t>(value->get_uint64());
  }
  if (value->is_int64() && value->get_int64() >= 0 &&
      value->get_int64() <= std::numeric_limits<std::uint32_t>::max()) {
    return static_cast<std::uint32_t>(value->get_int64());
  }
  return std::nullopt;
}

}  // namespace llmbench::harness::json_fields
