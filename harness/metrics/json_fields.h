#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Checked field access for reading report JSON back: every failure is an llmbench::InputError
// naming where (file and JSON path), the field, and what was expected.
namespace llmbench::metrics::json_fields {

const boost::json::object& as_object(const boost::json::value& value, const std::string& where);
const boost::json::value& required(const boost::json::object& object, std::string_view key,
                                   const std::string& where);
double get_double(const boost::json::object& object, std::string_view key, const std::string& where);
std::optional<double> get_optional_double(const boost::json::object& object, std::string_view key,
                                          const std::string& where);
std::uint64_t get_u64(const boost::json::object& object, std::string_view key, const std::string& where);
std::int64_t get_i64(const boost::json::object& object, std::string_view key, const std::string& where);
bool get_bool(const boost::json::object& object, std::string_view key, const std::string& where);
std::string get_string(const boost::json::object& object, std::string_view key, const std::string& where);
const boost::json::array& get_array(const boost::json::object& object, std::string_view key,
                                    const std::string& where);
const boost::json::object& get_object(const boost::json::object& object, std::string_view key,
                                      const std::string& where);

// Number conversions for array elements; `what` names the element, e.g. "counts[3][1]".
double to_double(const boost::json::value& value, const std::string& where, const std::string& what);
std::uint64_t to_u64(const boost::json::value& value, const std::string& where, const std::string& what);

// A double for writing: non-finite values become null, since JSON has no NaN or infinity.
boost::json::value number_or_null(double value);
boost::json::value optional_number(const std::optional<double>& value);

}  // namespace llmbench::metrics::json_fields
