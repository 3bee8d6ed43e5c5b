#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The OpenAI Responses API's wire format (POST /v1/responses), as the mock writes it. A stream
// is a sequence of named events, each numbered (sequence_number), whose items and content parts
// the official SDK checks against each other: response.created, response.in_progress, then per
// output item (a "reasoning" item with reasoning_text when the reasoning phase is on, then the
// "message"): output_item.added, content_part.added, *.delta..., *.done, content_part.done,
// output_item.done; and response.completed (response.incomplete when max_output_tokens cut
// it) with the usage. The response generator decides what and when; this class spells it and
// numbers the events. The texts are the mock's plain words: nothing to JSON-escape.
namespace llmbench::mock::responses {

struct ResponseIds {
  std::uint64_t sequence = 0;     // ids resp_mock<n>, rs_mock<n>, msg_mock<n>
  std::string_view quoted_model;  // JSON string, with quotes
  std::int64_t created_unix_s = 0;
  std::uint64_t input_tokens = 0;
};

// What the final response says.
struct Outcome {
  std::string_view reasoning;  // empty: no reasoning item
  std::string_view text;
  bool incomplete = false;  // stopped by max_output_tokens
  std::uint64_t output_tokens = 0;
  std::uint64_t reasoning_tokens = 0;
};

class StreamWriter {
 public:
  explicit StreamWriter(ResponseIds ids) : ids_(ids) {}

  void start(std::string& out);  // response.created, response.in_progress
  void begin_item(std::string& out, bool reasoning);
  void delta(std::string& out, bool reasoning, std::string_view space, std::string_view word);
  // The item's *.done events; `text` is its whole text.
  void end_item(std::string& out, bool reasoning, std::string_view text);
  void finish(std::string& out, const Outcome& outcome);  // response.completed / .incomplete
  // An "error" event (a failure mid-stream).
  void error(std::string& out, std::string_view message);

 private:
  void event_head(std::string& out, std::string_view type);
  unsigned output_index(bool reasoning) const { return reasoning || !has_reasoning_ ? 0 : 1; }

  ResponseIds ids_;
  std::uint64_t next_sequence_number_ = 0;
  bool has_reasoning_ = false;
};

// A whole (non-streamed) response object.
std::string response_body(const ResponseIds& ids, const Outcome& outcome);

}  // namespace llmbench::mock::responses
