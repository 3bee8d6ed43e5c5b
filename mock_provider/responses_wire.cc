#include "mock_provider/responses_wire.h"

#include <fmt/format.h>

#include <iterator>

namespace llmbench::mock::responses {

namespace {

void append_reasoning_item(std::string& out, const ResponseIds& ids, std::string_view status, bool with_text,
                           std::string_view text) {
  fmt::format_to(std::back_inserter(out), R"({{"id":"rs_mock{}","type":"reasoning","summary":[],"content":[)",
                 ids.sequence);
  if (with_text) fmt::format_to(std::back_inserter(out), R"({{"type":"reasoning_text","text":"{}"}})", text);
  fmt::format_to(std::back_inserter(out), R"(],"status":"{}"}})", status);
}

void append_message_item(std::string& out, const ResponseIds& ids, std::string_view status, bool with_text,
                         std::string_view text) {
  fmt::format_to(std::back_inserter(out),
                 R"({{"id":"msg_mock{}","type":"message","status":"{}","role":"assistant","content":[)", ids.sequence,
                 status);
  if (with_text) {
    fmt::format_to(std::back_inserter(out), R"({{"type":"output_text","text":"{}","annotations":[],"logprobs":[]}})",
                   text);
  }
  out += "]}";
}

// The response object; `outcome` null while in progress (no output, usage null).
void append_response(std::string& out, const ResponseIds& ids, const Outcome* outcome) {
  const std::string_view status = outcome == nullptr ? "in_progress" : outcome->incomplete ? "incomplete" : "completed";
  auto it = std::back_inserter(out);
  fmt::format_to(it, R"({{"id":"resp_mock{}","object":"response","created_at":{},"status":"{}","error":null,)",
                 ids.sequence, ids.created_unix_s, status);
  out += outcome != nullptr && outcome->incomplete ? R"("incomplete_details":{"reason":"max_output_tokens"},)"
                                                   : R"("incomplete_details":null,)";
  fmt::format_to(it, R"("instructions":null,"max_output_tokens":null,"model":{},"output":[)", ids.quoted_model);
  if (outcome != nullptr) {
    if (!outcome->reasoning.empty()) {
      append_reasoning_item(out, ids, "completed", true, outcome->reasoning);
      out += ',';
    }
    append_message_item(out, ids, outcome->incomplete ? "incomplete" : "completed", true, outcome->text);
  }
  out += R"(],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},)"
         R"("store":false,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],)"
         R"("top_p":1.0,"truncation":"disabled","usage":)";
  if (outcome == nullptr) {
    out += "null";
  } else {
    fmt::format_to(it,
                   R"({{"input_tokens":{},"input_tokens_details":{{"cached_tokens":0}},"output_tokens":{},)"
                   R"("output_tokens_details":{{"reasoning_tokens":{}}},"total_tokens":{}}})",
                   ids.input_tokens, outcome->output_tokens, outcome->reasoning_tokens,
                   ids.input_tokens + outcome->output_tokens);
  }
  out += R"(,"user":null,"metadata":{}})";
}

}  // namespace

void StreamWriter::event_head(std::string& out, std::string_view type) {
  fmt::format_to(std::back_inserter(out), "event: {}\ndata: {{\"type\":\"{}\",\"sequence_number\":{}", type, type,
                 next_sequence_number_++);
}

void StreamWriter::start(std::string& out) {
  for (std::string_view type : {"response.created", "response.in_progress"}) {
    event_head(out, type);
    out += ",\"response\":";
    append_response(out, ids_, nullptr);
    out += "}\n\n";
  }
}

void StreamWriter::begin_item(std::string& out, bool reasoning) {
  if (reasoning) has_reasoning_ = true;
  const unsigned index = output_index(reasoning);
  event_head(out, "response.output_item.added");
  fmt::format_to(std::back_inserter(out), ",\"output_index\":{},\"item\":", index);
  if (reasoning) {
    append_reasoning_item(out, ids_, "in_progress", false, {});
  } else {
    append_message_item(out, ids_, "in_progress", false, {});
  }
  out += "}\n\n";
  event_head(out, "response.content_part.added");
  fmt::format_to(std::back_inserter(out), ",\"item_id\":\"{}_mock{}\",\"output_index\":{},\"content_index\":0,\"part\":{}}}\n\n",
                 reasoning ? "rs" : "msg", ids_.sequence, index,
                 reasoning ? R"({"type":"reasoning_text","text":""})"
                           : R"({"type":"output_text","text":"","annotations":[],"logprobs":[]})");
}

void StreamWriter::delta(std::string& out, bool reasoning, std::string_view space, std::string_view word) {
  event_head(out, reasoning ? "response.reasoning_text.delta" : "response.output_text.delta");
  fmt::format_to(std::back_inserter(out),
                 ",\"item_id\":\"{}_mock{}\",\"output_index\":{},\"content_index\":0,\"delta\":\"{}{}\"{}}}\n\n",
                 reasoning ? "rs" : "msg", ids_.sequence, output_index(reasoning), space, word,
                 reasoning ? "" : ",\"logprobs\":[]");
}

void StreamWriter::end_item(std::string& out, bool reasoning, std::string_view text) {
  const unsigned index = output_index(reasoning);
  const std::string_view prefix = reasoning ? "rs" : "msg";
  event_head(out, reasoning ? "response.reasoning_text.done" : "response.output_text.done");
  fmt::format_to(std::back_inserter(out),
                 ",\"item_id\":\"{}_mock{}\",\"output_index\":{},\"content_index\":0,\"text\":\"{}\"{}}}\n\n", prefix,
                 ids_.sequence, index, text, reasoning ? "" : ",\"logprobs\":[]");
  event_head(out, "response.content_part.done");
  fmt::format_to(std::back_inserter(out), ",\"item_id\":\"{}_mock{}\",\"output_index\":{},\"content_index\":0,\"part\":",
                 prefix, ids_.sequence, index);
  if (reasoning) {
    fmt::format_to(std::back_inserter(out), R"({{"type":"reasoning_text","text":"{}"}})", text);
  } else {
    fmt::format_to(std::back_inserter(out), R"({{"type":"output_text","text":"{}","annotations":[],"logprobs":[]}})",
                   text);
  }
  out += "}\n\n";
  event_head(out, "response.output_item.done");
  fmt::format_to(std::back_inserter(out), ",\"output_index\":{},\"item\":", index);
  if (reasoning) {
    append_reasoning_item(out, ids_, "completed", true, text);
  } else {
    append_message_item(out, ids_, "completed", true, text);
  }
  out += "}\n\n";
}

void StreamWriter::finish(std::string& out, const Outcome& outcome) {
  event_head(out, outcome.incomplete ? "response.incomplete" : "response.completed");
  out += ",\"response\":";
  append_response(out, ids_, &outcome);
  out += "}\n\n";
}

void StreamWriter::error(std::string& out, std::string_view message) {
  event_head(out, "error");
  fmt::format_to(std::back_inserter(out), ",\"code\":\"server_error\",\"message\":\"{}\",\"param\":null}}\n\n", message);
}

std::string response_body(const ResponseIds& ids, const Outcome& outcome) {
  std::string body;
  append_response(body, ids, &outcome);
  return body;
}

}  // namespace llmbench::mock::responses
