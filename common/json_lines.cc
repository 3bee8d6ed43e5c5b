#include "common/json_lines.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <fstream>

#include "common/input_error.h"

namespace llmbench {

void for_each_json_line(std::istream& in, const std::string& name, const std::function<void(const JsonLine&)>& each) {
  std::string line;
  std::uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = fmt::format("{}:{}", name, number);
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(line, ec);
    if (ec) throw InputError(where, "", "not valid JSON: " + ec.message());
    each(JsonLine{value, where, number});
  }
  if (in.bad()) throw InputError(name, "", "read error");
}

void for_each_json_line(const std::filesystem::path& path, std::string_view what,
                        const std::function<void(const JsonLine&)>& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot open " + std::string(what));
  for_each_json_line(in, path.string(), each);
}

}  // namespace llmbench
