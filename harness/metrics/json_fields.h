#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
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

// The JSON path of the value being read, for error messages. Boost 1.81 (Debian 12) has no
// conversion contexts, so value_to conversions (tag_invoke) find it here: the caller scopes a
// ReadPath for the value it converts (read_at), the conversion names ReadPath::current().
class ReadPath {
 public:
  explicit ReadPath(std::string_view segment);  // appended for this scope, e.g. ".steps[2]"
  ~ReadPath();
  static const std::string& current();

 private:
  std::size_t restore_;
};
template <typename T>
T read_at(const boost::json::value& value, std::string_view segment) {
  const ReadPath path(segment);
  return boost::json::value_to<T>(value);
}

// A double for writing: non-finite values become null, since JSON has no NaN or infinity.
boost::json::value number_or_null(double value);
boost::json::value optional_number(const std::optional<double>& value);

}  // namespace llmbench::metrics::json_fields
