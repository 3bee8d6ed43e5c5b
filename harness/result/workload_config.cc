#include "harness/result/workload_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>

namespace llmbench::result {

namespace json = boost::json;

namespace {

void canonical(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      out += fmt::format("{}", v.get_int64());
      return;
    case json::kind::uint64:
      out += fmt::format("{}", v.get_uint64());
      return;
    case json::kind::double_:
      // Shortest round-trip form: 50.0 prints "50", as an integer 50 does.
      out += fmt::format("{}", v.get_double());
      return;
    case json::kind::string:
      out += json::serialize(v);
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& child : v.get_array()) {
        if (!first) out += ',';
        first = false;
        canonical(out, child);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      const json::object& o = v.get_object();
      std::vector<std::string_view> keys;
      for (const auto& entry : o) keys.push_back(entry.key());
      std::sort(keys.begin(), keys.end());
      out += '{';
      bool first = true;
      for (const std::string_view key : keys) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::value(key));
        out += ':';
        canonical(out, o.at(key));
      }
      out += '}';
      return;
    }
  }
}

std::string canonical_text(const json::value& v) {
  std::string out;
  canonical(out, v);
  return out;
}

void diff(const std::string& path, const json::value* a, const json::value* b,
          std::vector<std::string>& out) {
  if (a != nullptr && b != nullptr && a->is_object() && b->is_object()) {
    std::vector<std::string> keys;
    for (const auto& e : a->get_object()) keys.emplace_back(e.key());
    for (const auto& e : b->get_object()) {
      if (!a->get_object().contains(e.key())) keys.emplace_back(e.key());
    }
    std::sort(keys.begin(), keys.end());
    for (const std::string& key : keys) {
      diff(path.empty() ? key : path + "." + key, a->get_object().if_contains(key),
           b->get_object().if_contains(key), out);
    }
    return;
  }
  if (a != nullptr && b != nullptr && a->is_array() && b->is_array() &&
      a->get_array().size() == b->get_array().size()) {
    for (std::size_t i = 0; i < a->get_array().size(); ++i) {
      diff(fmt::format("{}[{}]", path, i), &a->get_array()[i], &b->get_array()[i], out);
    }
    return;
  }
  const std::string left = a != nullptr ? canonical_text(*a) : "(absent)";
  const std::string right = b != nullptr ? canonical_text(*b) : "(absent)";
  if (left != right) out.push_back(fmt::format("{}: {} vs {}", path, left, right));
}

}  // namespace

json::object workload_config(const json::object& config) {
  json::object w = config;
  w.erase("name");
  w.erase("source");
  w.erase("gate");
  if (json::value* target = w.if_contains("target"); target != nullptr && target->is_object()) {
    target->get_object().erase("api_key_env");
    target->get_object().erase("ca_file");
    target->get_object().erase("metrics_url");  // where the server's metrics were read, not what ran
    target->get_object().erase("metrics_interval");
  }
  if (json::value* prompts = w.if_contains("prompts"); prompts != nullptr && prompts->is_object()) {
    if (json::value* file = prompts->get_object().if_contains("file"); file != nullptr && file->is_string()) {
      *file = std::filesystem::path(std::string(file->get_string())).filename().string();
    }
  }
  if (json::value* scenarios = w.if_contains("scenarios"); scenarios != nullptr && scenarios->is_array()) {
    for (json::value& s : scenarios->get_array()) {
      if (s.is_object()) s.get_object().erase("thresholds");
      if (s.is_object()) s.get_object().erase("save_requests");  // where lines go, not what ran
    }
  }
  return w;
}

std::string config_hash(const json::object& config) {
  const std::string text = canonical_text(workload_config(config));
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return fmt::format("fnv1a64:{:016x}", h);
}

std::vector<std::string> config_differences(const json::object& a, const json::object& b, std::size_t limit) {
  const json::value wa = workload_config(a);
  const json::value wb = workload_config(b);
  std::vector<std::string> all;
  diff("", &wa, &wb, all);
  if (all.size() > limit) {
    const std::size_t more = all.size() - limit;
    all.resize(limit);
    all.push_back(fmt::format("... and {} more", more));
  }
  return all;
}

}  // namespace llmbench::result
