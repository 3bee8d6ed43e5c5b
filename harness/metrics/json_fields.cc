#include "harness/metrics/json_fields.h"

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "common/input_error.h"

namespace llmbench::metrics::json_fields {

namespace {
const char* kind_name(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "unknown";
}

[[noreturn]] void wrong_type(const std::string& where, const std::string& field, const char* expected,
                             const boost::json::value& got) {
  throw InputError(where, field, std::string("expected ") + expected + ", got " + kind_name(got));
}
}  // namespace

const boost::json::object& as_object(const boost::json::value& value, const std::string& where) {
  if (!value.is_object()) wrong_type(where, "", "an object", value);
  return value.get_object();
}

const boost::json::value& required(const boost::json::object& object, std::string_view key,
                                   const std::string& where) {
  const boost::json::value* found = object.if_contains(key);
  if (found == nullptr) throw InputError(where, std::string(key), "missing required field");
  return *found;
}

double to_double(const boost::json::value& value, const std::string& where, const std::string& what) {
  if (value.is_double()) return value.get_double();
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  wrong_type(where, what, "a number", value);
}

std::uint64_t to_u64(const boost::json::value& value, const std::string& where, const std::string& what) {
  if (value.is_uint64()) return value.get_uint64();
  if (value.is_int64() && value.get_int64() >= 0) return static_cast<std::uint64_t>(value.get_int64());
  wrong_type(where, what, "a non-negative integer", value);
}

double get_double(const boost::json::object& object, std::string_view key, const std::string& where) {
  return to_double(required(object, key, where), where, std::string(key));
}

std::optional<double> get_optional_double(const boost::json::object& object, std::string_view key,
                                          const std::string& where) {
  const boost::json::value* found = object.if_contains(key);
  if (found == nullptr || found->is_null()) return std::nullopt;
  return to_double(*found, where, std::string(key));
}

std::uint64_t get_u64(const boost::json::object& object, std::string_view key, const std::string& where) {
  return to_u64(required(object, key, where), where, std::string(key));
}

std::int64_t get_i64(const boost::json::object& object, std::string_view key, const std::string& where) {
  const boost::json::value& value = required(object, key, where);
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64() &&
      value.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value.get_uint64());
  }
  wrong_type(where, std::string(key), "an integer", value);
}

bool get_bool(const boost::json::object& object, std::string_view key, const std::string& where) {
  const boost::json::value& value = required(object, key, where);
  if (!value.is_bool()) wrong_type(where, std::string(key), "a boolean", value);
  return value.get_bool();
}

std::string get_string(const boost::json::object& object, std::string_view key, const std::string& where) {
  const boost::json::value& value = required(object, key, where);
  if (!value.is_string()) wrong_type(where, std::string(key), "a string", value);
  return std::string(value.get_string());
}

const boost::json::array& get_array(const boost::json::object& object, std::string_view key,
                                    const std::string& where) {
  const boost::json::value& value = required(object, key, where);
  if (!value.is_array()) wrong_type(where, std::string(key), "an array", value);
  return value.get_array();
}

const boost::json::object& get_object(const boost::json::object& object, std::string_view key,
                                      const std::string& where) {
  const boost::json::value& value = required(object, key, where);
  if (!value.is_object()) wrong_type(where, std::string(key), "an object", value);
  return value.get_object();
}

namespace {
thread_local std::string t_read_path;
}  // namespace

ReadPath::ReadPath(std::string_view segment) : restore_(t_read_path.size()) { t_read_path += segment; }
ReadPath::~ReadPath() { t_read_path.resize(restore_); }
const std::string& ReadPath::current() { return t_read_path; }

boost::json::value number_or_null(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

boost::json::value optional_number(const std::optional<double>& value) {
  if (!value) return nullptr;
  return number_or_null(*value);
}

}  // namespace llmbench::metrics::json_fields
