#include "mock_provider/request_parser.h"

#include "mock_provider/prefix_cache.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace llmbench::mock {

namespace json = boost::json;

namespace {

const char* type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64: return "an integer";
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

RequestProblem invalid_type(std::string_view param, std::string_view expected, const json::value& got) {
  return RequestProblem{fmt::format("Invalid type for '{}': expected {}, but got {} instead.", param, expected,
                                    type_name(got)),
                        std::string(param), "invalid_type",
                        fmt::format("invalid type for {}: expected {}, got {}", param, expected, type_name(got))};
}

RequestProblem missing(std::string_view param) {
  return RequestProblem{fmt::format("Missing required parameter: '{}'.", param), std::string(param),
                        "missing_required_parameter", fmt::format("{} is required", param)};
}

// Reads an optional integer field in [min, max]; null counts as absent.
std::optional<RequestProblem> read_int(const json::object& o, std::string_view key, std::int64_t min,
                                       std::int64_t max, std::optional<std::int64_t>& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  auto out_of_range = [&](const auto& got, bool above) {
    const char* side = above ? "above" : "below";
    const std::int64_t bound = above ? max : min;
    return RequestProblem{fmt::format("Invalid '{}': integer {} {} value. Expected a value {} {}, but got {} instead.",
                                      key, side, above ? "maximum" : "minimum", above ? "<=" : ">=", bound, got),
                          std::string(key), above ? "integer_above_max_value" : "integer_below_min_value",
                          fmt::format("invalid {}: {} is {} the {} {}", key, got, side, above ? "maximum" : "minimum",
                                      bound)};
  };
  auto above_max = [&](const auto& got) { return out_of_range(got, true); };
  auto below_min = [&](const auto& got) { return out_of_range(got, false); };
  std::int64_t value = 0;
  if (v->is_int64()) {
    value = v->as_int64();
  } else if (v->is_uint64()) {
    if (v->as_uint64() > static_cast<std::uint64_t>(max)) return above_max(v->as_uint64());
    value = static_cast<std::int64_t>(v->as_uint64());
  } else if (v->is_double() && std::trunc(v->as_double()) == v->as_double()) {
    // JSON writes big integers as doubles (7e42, 1.0); only those within int64 may be cast.
    constexpr double kTwoTo63 = 9223372036854775808.0;
    const double d = v->as_double();
    if (d >= kTwoTo63) return above_max(d);
    if (d < -kTwoTo63) return below_min(d);
    value = static_cast<std::int64_t>(d);
  } else {
    return invalid_type(key, "an integer", *v);
  }
  if (value < min) return below_min(value);
  if (value > max) return above_max(value);
  out = value;
  return std::nullopt;
}

std::optional<RequestProblem> read_bool(const json::object& o, std::string_view key, bool& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) return invalid_type(key, "a boolean", *v);
  out = v->as_bool();
  return std::nullopt;
}

// Where the prompt's texts go as the request is read: their characters always (the token
// estimate), the texts themselves only when `text` is set (the prefix cache hashes them).
struct PromptText {
  std::size_t count = 0;
  std::string* text = nullptr;
  void add(std::string_view s) {
    count += s.size();
    if (text != nullptr) text->append(s);
  }
};

// Characters of a message's content: a string or an array of parts ({"type":"text","text":...}).
std::optional<RequestProblem> content_chars(const json::value& content, std::string_view param, PromptText& chars) {
  if (content.is_null()) return std::nullopt;
  if (content.is_string()) {
    chars.add(content.as_string());
    return std::nullopt;
  }
  if (!content.is_array()) return invalid_type(param, "a string or an array of content parts", content);
  for (const json::value& part : content.as_array()) {
    if (!part.is_object()) return invalid_type(param, "an array of content parts", part);
    if (const json::value* text = part.as_object().if_contains("text"); text != nullptr && text->is_string()) {
      chars.add(text->as_string());
    }
  }
  return std::nullopt;
}

std::optional<RequestProblem> read_messages(const json::object& o, PromptText& chars) {
  const json::value* messages = o.if_contains("messages");
  if (messages == nullptr) return missing("messages");
  if (!messages->is_array()) return invalid_type("messages", "an array", *messages);
  if (messages->as_array().empty()) {
    return RequestProblem{"Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty "
                          "array instead.",
                          "messages", "empty_array", "messages must not be empty"};
  }
  std::size_t index = 0;
  for (const json::value& message : messages->as_array()) {
    const std::string param = fmt::format("messages[{}]", index++);
    if (!message.is_object()) return invalid_type(param, "an object", message);
    const json::value* role = message.as_object().if_contains("role");
    if (role == nullptr) return missing(param + ".role");
    if (!role->is_string()) return invalid_type(param + ".role", "a string", *role);
    if (const json::value* content = message.as_object().if_contains("content")) {
      if (auto problem = content_chars(*content, param + ".content", chars)) return problem;
    }
  }
  return std::nullopt;
}

// Anthropic's top-level system prompt: a string or an array of text blocks.
std::optional<RequestProblem> read_system(const json::object& o, PromptText& chars) {
  const json::value* system = o.if_contains("system");
  if (system == nullptr) return std::nullopt;
  return content_chars(*system, "system", chars);
}

// The Responses API's input: a string, or an array of input items ({role, content}).
std::optional<RequestProblem> read_input(const json::object& o, PromptText& chars) {
  const json::value* input = o.if_contains("input");
  if (input == nullptr) return missing("input");
  if (input->is_string()) {
    chars.add(input->as_string());
    return std::nullopt;
  }
  if (!input->is_array()) return invalid_type("input", "a string or an array", *input);
  std::size_t index = 0;
  for (const json::value& item : input->as_array()) {
    const std::string param = fmt::format("input[{}]", index++);
    if (!item.is_object()) return invalid_type(param, "an object", item);
    if (const json::value* content = item.as_object().if_contains("content")) {
      if (auto problem = content_chars(*content, param + ".content", chars)) return problem;
    }
  }
  if (const json::value* instructions = o.if_contains("instructions"); instructions != nullptr && !instructions->is_null()) {
    if (!instructions->is_string()) return invalid_type("instructions", "a string", *instructions);
    chars.add(instructions->as_string());
  }
  return std::nullopt;
}

// Legacy completions: a string, an array of strings, an array of token ids, or an array of those.
std::optional<RequestProblem> read_prompt(const json::object& o, PromptText& chars, std::uint32_t& prompts,
                                          std::uint32_t& token_ids) {
  const json::value* prompt = o.if_contains("prompt");
  if (prompt == nullptr) return missing("prompt");
  if (prompt->is_string()) {
    chars.add(prompt->as_string());
    return std::nullopt;
  }
  if (!prompt->is_array()) return invalid_type("prompt", "a string or an array", *prompt);
  const json::array& items = prompt->as_array();
  if (!items.empty() && (items.front().is_int64() || items.front().is_uint64())) {
    for (const json::value& id : items) {
      if (!id.is_int64() && !id.is_uint64()) return invalid_type("prompt", "an array of token ids", id);
    }
    token_ids += static_cast<std::uint32_t>(items.size());
    return std::nullopt;
  }
  prompts = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(items.size()));
  for (const json::value& item : items) {
    if (item.is_string()) {
      chars.add(item.as_string());
    } else if (item.is_array()) {
      token_ids += static_cast<std::uint32_t>(item.as_array().size());
    } else {
      return invalid_type("prompt", "an array of strings", item);
    }
  }
  return std::nullopt;
}

}  // namespace

std::uint32_t estimate_tokens(std::size_t characters) {
  return static_cast<std::uint32_t>(std::min<std::size_t>((characters + 3) / 4, 0xFFFFFFFFu));
}

std::variant<GenerationRequest, RequestProblem> parse_generation_request(ApiKind api, std::string_view body,
                                                                        std::uint32_t prefix_block_tokens) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (ec || !root.is_object()) {
    return RequestProblem{
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
        "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        std::nullopt, std::nullopt,
        body.empty() ? std::string("missing request body")
        : ec         ? fmt::format("invalid JSON in request body: {}", ec.message())
                     : std::string("invalid request body: expected a JSON object")};
  }
  const json::object& o = root.as_object();
  GenerationRequest request;
  request.api = api;

  const json::value* model = o.if_contains("model");
  if (model == nullptr) return missing("model");
  if (!model->is_string()) return invalid_type("model", "a string", *model);
  request.model = std::string(model->as_string());

  request.stream = is_ollama(api);  // Ollama streams unless told otherwise
  if (auto problem = read_bool(o, "stream", request.stream)) return *problem;

  std::string text;  // the prompt's text in order, collected only for the prefix cache's hashes
  PromptText chars{0, prefix_block_tokens > 0 ? &text : nullptr};
  std::uint32_t prompts = 1;
  std::uint32_t token_ids = 0;
  std::optional<std::int64_t> max_tokens;
  std::optional<std::int64_t> seed;
  constexpr std::int64_t kMaxTokens = std::numeric_limits<std::int32_t>::max();
  constexpr std::int64_t kSeedMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kSeedMax = std::numeric_limits<std::int64_t>::max();

  if (is_ollama(api)) {
    if (api == ApiKind::ollama_chat) {
      if (auto problem = read_messages(o, chars)) return *problem;
    } else if (const json::value* prompt = o.if_contains("prompt"); prompt != nullptr && !prompt->is_null()) {
      if (!prompt->is_string()) return invalid_type("prompt", "a string", *prompt);
      chars.add(prompt->as_string());
    }
    if (const json::value* options = o.if_contains("options"); options != nullptr && !options->is_null()) {
      if (!options->is_object()) return invalid_type("options", "an object", *options);
      std::optional<std::int64_t> num_predict;
      if (auto problem = read_int(options->as_object(), "num_predict", -2, kMaxTokens, num_predict)) return *problem;
      if (num_predict && *num_predict > 0) max_tokens = num_predict;  // -1/-2: unlimited / fill context
      if (auto problem = read_int(options->as_object(), "seed", kSeedMin, kSeedMax, seed)) return *problem;
    }
  } else if (api == ApiKind::anthropic_messages) {
    if (auto problem = read_system(o, chars)) return *problem;  // first: it opens the prompt
    if (auto problem = read_messages(o, chars)) return *problem;
    // Required by Anthropic: there is no server default.
    if (o.if_contains("max_tokens") == nullptr) return missing("max_tokens");
    if (auto problem = read_int(o, "max_tokens", 1, kMaxTokens, max_tokens)) return *problem;
  } else if (api == ApiKind::responses) {
    if (auto problem = read_input(o, chars)) return *problem;
    if (auto problem = read_int(o, "max_output_tokens", 1, kMaxTokens, max_tokens)) return *problem;
  } else {
    if (api == ApiKind::chat_completions) {
      if (auto problem = read_messages(o, chars)) return *problem;
    } else {
      if (auto problem = read_prompt(o, chars, prompts, token_ids)) return *problem;
    }
    if (const json::value* options = o.if_contains("stream_options"); options != nullptr && !options->is_null()) {
      if (!options->is_object()) return invalid_type("stream_options", "an object", *options);
      if (auto problem = read_bool(options->as_object(), "include_usage", request.include_usage)) return *problem;
    }
    std::optional<std::int64_t> legacy_max;
    if (auto problem = read_int(o, "max_tokens", 1, kMaxTokens, legacy_max)) return *problem;
    if (auto problem = read_int(o, "max_completion_tokens", 1, kMaxTokens, max_tokens)) return *problem;
    if (!max_tokens) max_tokens = legacy_max;
    std::optional<std::int64_t> n;
    if (auto problem = read_int(o, "n", 1, 128, n)) return *problem;
    request.choices = static_cast<std::uint32_t>(n.value_or(1)) * prompts;
    if (auto problem = read_int(o, "seed", kSeedMin, kSeedMax, seed)) return *problem;
    std::optional<std::int64_t> min_tokens;
    if (auto problem = read_int(o, "min_tokens", 0, kMaxTokens, min_tokens)) return *problem;
    if (min_tokens && *min_tokens > 0) {
      const std::optional<std::int64_t> cap = max_tokens ? max_tokens : legacy_max;
      if (cap && *min_tokens > *cap) {
        // vLLM refuses it the same way (SamplingParams: min_tokens <= max_tokens).
        return RequestProblem{fmt::format("Invalid 'min_tokens': {} is greater than max_tokens {}.", *min_tokens, *cap),
                              std::string("min_tokens"), std::string("invalid_value"), {}};
      }
      request.min_tokens = static_cast<std::uint32_t>(*min_tokens);
    }
    if (auto problem = read_bool(o, "ignore_eos", request.ignore_eos)) return *problem;
  }
  if (max_tokens) request.max_tokens = static_cast<std::uint32_t>(*max_tokens);
  if (seed) request.seed = static_cast<std::uint64_t>(*seed);
  request.prompt_tokens = std::max<std::uint32_t>(1, estimate_tokens(chars.count) + token_ids);
  if (prefix_block_tokens > 0) request.prefix_blocks = prompt_block_hashes(text, prefix_block_tokens);
  return request;
}

}  // namespace llmbench::mock
