#include "mock_provider/openai_error.h"

#include <boost/json.hpp>

namespace llmbench::mock {

std::string openai_error_body(std::string_view message, std::string_view type,
                              std::optional<std::string_view> param, std::optional<std::string_view> code) {
  boost::json::object error;
  error["message"] = message;
  error["type"] = type;
  error["param"] = param ? boost::json::value(*param) : boost::json::value(nullptr);
  error["code"] = code ? boost::json::value(*code) : boost::json::value(nullptr);
  boost::json::object body;
  body["error"] = std::move(error);
  return boost::json::serialize(body);
}

std::string ollama_error_body(std::string_view message) {
  boost::json::object body;
  body["error"] = message;
  return boost::json::serialize(body);
}

}  // namespace llmbench::mock
