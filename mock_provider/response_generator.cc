#include "mock_provider/response_generator.h"

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "mock_provider/anthropic_wire.h"
#include "mock_provider/openai_error.h"
#include "mock_provider/provider_state.h"

namespace llmbench::mock {

namespace {

// Plain ASCII words: no JSON escaping needed in the hot path.
constexpr const char* kWords[] = {
    "the",    "quick",   "brown",  "fox",     "jumps",   "over",   "lazy",    "dog",    "a",      "model",
    "token",  "stream",  "answer", "latency", "server",  "client", "request", "reply",  "bench",  "mock",
    "of",     "and",     "to",     "in",      "is",      "that",   "for",     "it",     "as",     "with",
    "was",    "on",      "be",     "at",      "by",      "this",   "from",    "or",     "an",     "are",
    "time",   "first",   "second", "queue",   "slot",    "decode", "prefill", "cache",  "batch",  "load",
    "measure", "result", "value",  "number",  "simple",  "steady", "signal",  "window", "buffer", "socket",
    "event",  "loop",    "thread", "done."};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

std::string rfc3339_now() {
  const auto now = std::chrono::system_clock::now();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", std::chrono::floor<std::chrono::seconds>(now), micros);
}

constexpr const char* kStreamErrorMessage =
    "The server had an error while processing your request. (mock fault stream_error: failed mid-stream)";

// A choice index in decimal (choices are few: n is capped by the request parser).
void append_index(std::string& out, std::size_t i) {
  if (i < 10) {
    out += static_cast<char>('0' + i);
  } else {
    out += std::to_string(i);
  }
}

}  // namespace

ResponseGenerator::ResponseGenerator(ResponsePlan plan, RequestRng rng, std::shared_ptr<ProviderState> state)
    : plan_(std::move(plan)), rng_(rng), state_(std::move(state)) {
  quoted_model_ = boost::json::serialize(boost::json::string(plan_.request.model));
  words_.resize(plan_.request.choices);
  // A streamed Responses reply repeats its whole text in its *.done events: kept like a whole one.
  const bool keeps_text = !plan_.request.stream || plan_.request.api == ApiKind::responses;
  if (keeps_text) texts_.resize(plan_.request.choices);
  if (keeps_text && plan_.reasoning_tokens > 0) reasoning_texts_.resize(plan_.request.choices);
  if (plan_.request.stream && plan_.request.api == ApiKind::responses) responses_.emplace(responses_ids());
  switch (plan_.request.api) {
    case ApiKind::chat_completions:
      chunk_prefix_ = fmt::format(
          "data: {{\"id\":\"chatcmpl-mock{}\",\"object\":\"chat.completion.chunk\",\"created\":{},\"model\":{},"
          "\"system_fingerprint\":\"fp_mock\",\"choices\":[",
          plan_.sequence, plan_.created_unix_s, quoted_model_);
      break;
    case ApiKind::completions:
      chunk_prefix_ = fmt::format(
          "data: {{\"id\":\"cmpl-mock{}\",\"object\":\"text_completion\",\"created\":{},\"model\":{},\"choices\":[",
          plan_.sequence, plan_.created_unix_s, quoted_model_);
      break;
    case ApiKind::ollama_chat:
    case ApiKind::ollama_generate: chunk_prefix_ = fmt::format("{{\"model\":{},\"created_at\":\"", quoted_model_); break;
    case ApiKind::anthropic_messages:
    case ApiKind::responses: break;  // named events, spelt by anthropic_wire / responses_wire
  }
}

ResponseGenerator::~ResponseGenerator() {
  if (!done_) state_->metrics.aborted.fetch_add(1, std::memory_order_relaxed);
}

void ResponseGenerator::begin(std::int64_t now_ns) {
  start_ns_ = now_ns;
  due_ns_ = now_ns;
  state_->metrics.queue_time.observe_ns(now_ns - plan_.arrival_ns);
}

std::int64_t ResponseGenerator::next_delay_ns() {
  const MockConfig& config = state_->config;
  double ns = 0;
  if (step_ == 0) {
    ns = plan_.ttft_ns ? static_cast<double>(*plan_.ttft_ns) : config.ttft.sample(rng_);
    ns += static_cast<double>(config.prefill_per_prompt_token.count()) *
          (plan_.request.prompt_tokens - plan_.request.cached_tokens);
  } else if (plan_.fault == FaultKind::trickle) {
    ns = static_cast<double>(config.trickle_itl.count());
  } else {
    ns = plan_.itl_ns ? static_cast<double>(*plan_.itl_ns) : config.itl.sample(rng_);
  }
  ns *= state_->slowdown_factor();
  return static_cast<std::int64_t>(std::llround(std::min(ns, 9e18)));
}

void ResponseGenerator::draw_words() {
  for (auto& word : words_) word = kWords[rng_.next_below(kWordCount)];
}

std::uint32_t ResponseGenerator::tokens_before_cut() const {
  return std::max<std::uint32_t>(1, plan_.output_tokens / 2);
}

const char* ResponseGenerator::reasoning_key() const {
  if (plan_.request.api == ApiKind::ollama_chat) return "thinking";
  return state_->config.reasoning_field == MockConfig::ReasoningField::reasoning ? "reasoning" : "reasoning_content";
}

void ResponseGenerator::next_piece(BodyPiece& piece) {
  if (plan_.request.stream) {
    next_stream_piece(piece);
  } else {
    whole_body(piece);
  }
}

// Anthropic: message_start, the thinking block (when reasoning) then the text block, one delta
// per token. The first piece carries the events before the first delta, so TTFT is the same
// whichever event a client keys on.
void ResponseGenerator::append_anthropic_tokens(std::string& out) {
  const bool reasoning = reasoning_step();
  const bool has_reasoning = plan_.reasoning_tokens > 0;
  const unsigned index = !reasoning && has_reasoning ? 1 : 0;
  if (step_ == 0) {
    anthropic::append_message_start(out, {plan_.sequence, quoted_model_, plan_.request.prompt_tokens});
    anthropic::append_block_start(out, 0, reasoning);
    anthropic::append_ping(out);
  } else if (has_reasoning && step_ == plan_.reasoning_tokens) {
    anthropic::append_block_stop(out, 0, true);
    anthropic::append_block_start(out, 1, false);
  }
  const bool first_of_part = step_ == 0 || step_ == plan_.reasoning_tokens;
  anthropic::append_block_delta(out, index, reasoning, first_of_part ? "" : " ", words_[0]);
}

// Responses: response.created and .in_progress before the first item; an item's *.done events
// when the next one begins.
void ResponseGenerator::append_responses_tokens(std::string& out) {
  const bool reasoning = reasoning_step();
  const bool first_of_part = step_ == 0 || step_ == plan_.reasoning_tokens;
  if (step_ == 0) responses_->start(out);
  if (!reasoning && step_ != 0 && step_ == plan_.reasoning_tokens) responses_->end_item(out, true, reasoning_texts_[0]);
  if (first_of_part) responses_->begin_item(out, reasoning);
  responses_->delta(out, reasoning, first_of_part ? "" : " ", words_[0]);
  std::string& text = reasoning ? reasoning_texts_[0] : texts_[0];
  if (!first_of_part) text += ' ';
  text += words_[0];
}

responses::ResponseIds ResponseGenerator::responses_ids() const {
  return {plan_.sequence, quoted_model_, plan_.created_unix_s, plan_.request.prompt_tokens};
}

responses::Outcome ResponseGenerator::responses_outcome() const {
  return {reasoning_texts_.empty() ? std::string_view() : std::string_view(reasoning_texts_[0]), texts_[0],
          plan_.stopped_by_max_tokens, total_steps(), plan_.reasoning_tokens};
}

void ResponseGenerator::append_stream_tokens(std::string& out) {
  if (plan_.request.api == ApiKind::anthropic_messages) return append_anthropic_tokens(out);
  if (plan_.request.api == ApiKind::responses) return append_responses_tokens(out);
  const bool first = step_ == 0;
  const bool reasoning = reasoning_step();
  // The answer's first word has no leading space, whether or not reasoning came before it.
  const bool first_of_part = first || step_ == plan_.reasoning_tokens;
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const char* space = first_of_part ? "" : " ";
    if (reasoning) {
      out += chunk_prefix_;
      if (plan_.request.api == ApiKind::ollama_chat) {
        fmt::format_to(std::back_inserter(out),
                       "{}\",\"message\":{{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"{}{}\"}},"
                       "\"done\":false}}\n",
                       rfc3339_now(), space, words_[i]);
        continue;
      }
      if (first) {
        fmt::format_to(std::back_inserter(out),
                       "{{\"index\":{},\"delta\":{{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}},"
                       "\"logprobs\":null,\"finish_reason\":null}}]}}\n\n",
                       i);
        out += chunk_prefix_;
      }
      fmt::format_to(std::back_inserter(out),
                     "{{\"index\":{},\"delta\":{{\"{}\":\"{}{}\"}},\"logprobs\":null,\"finish_reason\":null}}]}}"
                     "\n\n",
                     i, reasoning_key(), space, words_[i]);
      continue;
    }
    switch (plan_.request.api) {
      case ApiKind::chat_completions:
        if (first) {
          // The role chunk goes out with the first content delta, so TTFT is the same whichever
          // chunk a client keys on.
          out += chunk_prefix_;
          fmt::format_to(std::back_inserter(out),
                         "{{\"index\":{},\"delta\":{{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}},"
                         "\"logprobs\":null,\"finish_reason\":null}}]}}\n\n",
                         i);
        }
        // The most common piece of all, appended by hand: fmt's format parsing per token
        // showed in the profile (docs/performance.md).
        out += chunk_prefix_;
        out += "{\"index\":";
        append_index(out, i);
        out += ",\"delta\":{\"content\":\"";
        out += space;
        out += words_[i];
        out += "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        break;
      case ApiKind::completions:
        out += chunk_prefix_;
        fmt::format_to(std::back_inserter(out),
                       "{{\"text\":\"{}{}\",\"index\":{},\"logprobs\":null,\"finish_reason\":null}}]}}\n\n", space,
                       words_[i], i);
        break;
      case ApiKind::ollama_chat:
        out += chunk_prefix_;
        fmt::format_to(std::back_inserter(out),
                       "{}\",\"message\":{{\"role\":\"assistant\",\"content\":\"{}{}\"}},\"done\":false}}\n",
                       rfc3339_now(), space, words_[i]);
        break;
      case ApiKind::ollama_generate:
        out += chunk_prefix_;
        fmt::format_to(std::back_inserter(out), "{}\",\"response\":\"{}{}\",\"done\":false}}\n", rfc3339_now(), space,
                       words_[i]);
        break;
      case ApiKind::anthropic_messages:
      case ApiKind::responses: break;  // above
    }
  }
}

void ResponseGenerator::append_stream_end(std::string& out) {
  const char* reason = plan_.stopped_by_max_tokens ? "length" : "stop";
  const std::uint64_t completion = std::uint64_t{total_steps()} * plan_.request.choices;
  const std::uint64_t prompt = plan_.request.prompt_tokens;
  switch (plan_.request.api) {
    case ApiKind::chat_completions:
    case ApiKind::completions:
      for (std::size_t i = 0; i < words_.size(); ++i) {
        out += chunk_prefix_;
        if (plan_.request.api == ApiKind::chat_completions) {
          fmt::format_to(std::back_inserter(out),
                         "{{\"index\":{},\"delta\":{{}},\"logprobs\":null,\"finish_reason\":\"{}\"}}]}}\n\n", i,
                         reason);
        } else {
          fmt::format_to(std::back_inserter(out),
                         "{{\"text\":\"\",\"index\":{},\"logprobs\":null,\"finish_reason\":\"{}\"}}]}}\n\n", i, reason);
        }
      }
      if (plan_.request.include_usage) {
        out += chunk_prefix_;
        fmt::format_to(std::back_inserter(out), "],\"usage\":{{\"prompt_tokens\":{},\"completion_tokens\":{},\"total_tokens\":{}",
                       prompt, completion, prompt + completion);
        if (plan_.reasoning_tokens > 0) {
          fmt::format_to(std::back_inserter(out), ",\"completion_tokens_details\":{{\"reasoning_tokens\":{}}}",
                         std::uint64_t{plan_.reasoning_tokens} * plan_.request.choices);
        }
        out += "}}\n\n";
      }
      out += "data: [DONE]\n\n";
      break;
    case ApiKind::ollama_chat:
    case ApiKind::ollama_generate: append_ollama_final(out, ""); break;
    case ApiKind::anthropic_messages:
      anthropic::append_block_stop(out, plan_.reasoning_tokens > 0 ? 1 : 0, false);
      anthropic::append_message_end(out, plan_.stopped_by_max_tokens ? "max_tokens" : "end_turn", completion);
      break;
    case ApiKind::responses:
      responses_->end_item(out, false, texts_[0]);
      responses_->finish(out, responses_outcome());
      break;
  }
}

// Ollama's last line, streamed or whole: the text (plain words: nothing to escape) and counts.
void ResponseGenerator::append_ollama_final(std::string& out, std::string_view text) const {
  out += chunk_prefix_;
  out += rfc3339_now();
  out += plan_.request.api == ApiKind::ollama_chat ? "\",\"message\":{\"role\":\"assistant\",\"content\":\""
                                                    : "\",\"response\":\"";
  if (!reasoning_texts_.empty()) {
    out += text;  // a whole Ollama chat reply: its thinking beside the content
    fmt::format_to(std::back_inserter(out), "\",\"thinking\":\"{}", reasoning_texts_[0]);
    text = {};
  }
  fmt::format_to(std::back_inserter(out),
                 "{}\"{},\"done\":true,\"done_reason\":\"{}\",\"total_duration\":{},\"prompt_eval_count\":{},"
                 "\"prompt_eval_duration\":{},\"eval_count\":{},\"eval_duration\":{}}}\n",
                 text, plan_.request.api == ApiKind::ollama_chat ? "}" : "",
                 plan_.stopped_by_max_tokens ? "length" : "stop", due_ns_ - plan_.arrival_ns, plan_.request.prompt_tokens,
                 std::max<std::int64_t>(1, first_token_ns_ - start_ns_), total_steps(),
                 std::max<std::int64_t>(1, due_ns_ - first_token_ns_));
}

void ResponseGenerator::append_stream_error(std::string& out) {
  if (plan_.request.api == ApiKind::anthropic_messages) {
    anthropic::append_stream_error(out, kStreamErrorMessage);
  } else if (plan_.request.api == ApiKind::responses) {
    responses_->error(out, kStreamErrorMessage);
  } else if (is_ollama(plan_.request.api)) {
    out += ollama_error_body(kStreamErrorMessage);
    out += '\n';
  } else {
    out += "data: ";
    out += openai_error_body(kStreamErrorMessage, "server_error", std::nullopt, "stream_error");
    out += "\n\n";
  }
}

void ResponseGenerator::next_stream_piece(BodyPiece& piece) {
  if (done_) return;
  const std::int64_t delay = next_delay_ns();
  due_ns_ += delay;
  piece.due_ns = due_ns_;
  const bool cuts = plan_.fault == FaultKind::stream_error || plan_.fault == FaultKind::drop;
  if (cuts && step_ == tokens_before_cut()) {
    done_ = true;
    state_->metrics.aborted.fetch_add(1, std::memory_order_relaxed);
    if (plan_.fault == FaultKind::drop) {
      piece.then = BodyPiece::Then::drop;
    } else {
      append_stream_error(piece.bytes);
      piece.then = BodyPiece::Then::end;
    }
    return;
  }
  if (step_ == 0) {
    first_token_ns_ = due_ns_;
    state_->metrics.ttft.observe_ns(due_ns_ - plan_.arrival_ns);
  } else {
    state_->metrics.itl.observe_ns(delay);
  }
  draw_words();
  append_stream_tokens(piece.bytes);
  ++step_;
  if (step_ == total_steps() && !cuts) {
    append_stream_end(piece.bytes);
    record_finish(due_ns_);
    piece.then = BodyPiece::Then::end;
  } else {
    piece.then = BodyPiece::Then::more;
  }
}

void ResponseGenerator::whole_body(BodyPiece& piece) {
  if (done_) return;
  const std::uint32_t last = plan_.fault == FaultKind::drop ? tokens_before_cut() : total_steps();
  for (; step_ < last; ++step_) {
    const std::int64_t delay = next_delay_ns();
    due_ns_ += delay;
    if (step_ == 0) {
      first_token_ns_ = due_ns_;
      state_->metrics.ttft.observe_ns(due_ns_ - plan_.arrival_ns);
    } else {
      state_->metrics.itl.observe_ns(delay);
    }
    draw_words();
    const bool reasoning = reasoning_step();
    const bool first_of_part = step_ == 0 || step_ == plan_.reasoning_tokens;
    for (std::size_t i = 0; i < words_.size(); ++i) {
      std::string& text = reasoning ? reasoning_texts_[i] : texts_[i];
      if (!first_of_part) text += ' ';
      text += words_[i];
    }
  }
  piece.due_ns = due_ns_;
  done_ = true;
  if (plan_.fault == FaultKind::drop) {
    state_->metrics.aborted.fetch_add(1, std::memory_order_relaxed);
    piece.then = BodyPiece::Then::drop;
    return;
  }
  piece.bytes = non_stream_body();
  piece.then = BodyPiece::Then::end;
  record_finish(due_ns_);
}

// The same bytes Boost.JSON would write (key order, nulls), built like the stream's chunks:
// the texts are plain words, with nothing to escape.
std::string ResponseGenerator::non_stream_body() const {
  std::string body;
  if (is_ollama(plan_.request.api)) {
    append_ollama_final(body, texts_[0]);
    body.pop_back();  // the line's '\n'
    return body;
  }
  if (plan_.request.api == ApiKind::anthropic_messages) {
    return anthropic::message_body({plan_.sequence, quoted_model_, plan_.request.prompt_tokens},
                                   reasoning_texts_.empty() ? std::string_view() : std::string_view(reasoning_texts_[0]),
                                   texts_[0], plan_.stopped_by_max_tokens ? "max_tokens" : "end_turn", total_steps());
  }
  if (plan_.request.api == ApiKind::responses) return responses::response_body(responses_ids(), responses_outcome());
  const char* reason = plan_.stopped_by_max_tokens ? "length" : "stop";
  const std::uint64_t completion = std::uint64_t{total_steps()} * plan_.request.choices;
  const std::uint64_t prompt = plan_.request.prompt_tokens;
  const bool chat = plan_.request.api == ApiKind::chat_completions;
  auto out = std::back_inserter(body);
  fmt::format_to(out, R"({{"id":"{}{}","object":"{}","created":{},"model":{},"system_fingerprint":"fp_mock","choices":[)",
                 chat ? "chatcmpl-mock" : "cmpl-mock", plan_.sequence, chat ? "chat.completion" : "text_completion",
                 plan_.created_unix_s, quoted_model_);
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    if (i != 0) body += ',';
    if (chat) {
      fmt::format_to(out, R"({{"index":{},"message":{{"role":"assistant","content":"{}",)", i, texts_[i]);
      if (!reasoning_texts_.empty()) fmt::format_to(out, R"("{}":"{}",)", reasoning_key(), reasoning_texts_[i]);
      body += R"("refusal":null},)";
    } else {
      fmt::format_to(out, R"({{"text":"{}","index":{},)", texts_[i], i);
    }
    fmt::format_to(out, R"("logprobs":null,"finish_reason":"{}"}})", reason);
  }
  fmt::format_to(out, R"(],"usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{})", prompt, completion,
                 prompt + completion);
  if (chat) {
    fmt::format_to(out,
                   R"(,"prompt_tokens_details":{{"cached_tokens":{}}},"completion_tokens_details":{{"reasoning_tokens":{}}})",
                   plan_.request.cached_tokens, std::uint64_t{plan_.reasoning_tokens} * plan_.request.choices);
  }
  body += "}}";
  return body;
}

void ResponseGenerator::record_finish(std::int64_t end_ns) {
  done_ = true;
  MockMetrics& m = state_->metrics;
  m.e2e.observe_ns(end_ns - plan_.arrival_ns);
  m.prompt_tokens.fetch_add(plan_.request.prompt_tokens, std::memory_order_relaxed);
  m.generation_tokens.fetch_add(std::uint64_t{total_steps()} * plan_.request.choices, std::memory_order_relaxed);
  (plan_.stopped_by_max_tokens ? m.success_length : m.success_stop).fetch_add(1, std::memory_order_relaxed);
}

}  // namespace llmbench::mock
