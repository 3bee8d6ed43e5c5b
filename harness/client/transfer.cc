#include "harness/client/transfer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/clock.h"
#include "common/duration.h"
#include "common/token_estimate.h"
#include "harness/client/api_flavor.h"
#include "harness/client/error_text.h"
#include "harness/client/request_fields.h"
#include "harness/client/retry.h"
#include "harness/client/server_timing.h"

namespace llmbench::harness {

namespace {

constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr std::size_t kMaxResponseBytes = 64 * 1024 * 1024;
constexpr std::size_t kMaxMessageChars = 300;
constexpr long kStreamReceiveBufferBytes = 1024;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

long to_curl_ms(std::chrono::milliseconds ms) {
  return static_cast<long>(std::max<std::int64_t>(0, ms.count()));
}

// What a libcurl failure means for the benchmark: the connection could not be made
// (connect), or it was made and the request sent but the response was cut short - before or
// after its headers - (truncated; SDKs never retry those once a body started).
ErrorKind classify_curl(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorKind::timeout;
    case CURLE_ABORTED_BY_CALLBACK:
      return ErrorKind::cancelled;
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
      return ErrorKind::parse;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:  // TLS set-up failures: no request was sent either
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
      return ErrorKind::connect;
    default:
      return ErrorKind::truncated;
  }
}

}  // namespace

Transfer::Transfer(const ClientContext& context, ChunkDecoder& decoder, const ChatRequest& request,
                   const SendSpec& spec)
    : context_(context),
      decoder_(decoder),
      stream_(spec.stream),
      keep_text_(spec.keep_text),
      observer_(spec.observer),
      body_(build_request_body(context.endpoint(), request, spec.stream)),
      prompt_tokens_estimate_(request.prompt_tokens_estimate),
      required_output_tokens_(required_output_tokens(request)) {
  const bool stream = spec.stream;
  record_.index = spec.index;
  record_.intended_start_ns = spec.intended_start_ns;
  record_.requested_output_tokens = request.max_tokens;
  headers_ = context.common_headers(stream);
  if (!request.headers.empty()) {
    // Per-request headers: a private copy of the common list plus those (rare; benchmarks
    // normally send none, so the hot path allocates no list).
    try {
      for (const curl_slist* line = headers_; line != nullptr; line = line->next) {
        append_header(owned_headers_, line->data);
      }
      for (const auto& [name, value] : request.headers) append_header(owned_headers_, name + ": " + value);
    } catch (...) {
      curl_slist_free_all(owned_headers_);
      throw;
    }
    headers_ = owned_headers_;
  }
  // The expected count when the request bounds it; else a typical short answer (it grows).
  record_.token_ns.reserve(stream ? std::clamp<std::size_t>(request.max_tokens, 16, 1024) : 1);
}

Transfer::~Transfer() { curl_slist_free_all(owned_headers_); }

void Transfer::begin(std::int64_t now_ns) {
  record_.start_ns = now_ns;
  if (record_.intended_start_ns == 0) record_.intended_start_ns = now_ns;
  if (observer_ != nullptr) observer_->on_start(now_ns);
}

void Transfer::prepare_attempt(CURL* easy) {
  status_ = 0;
  headers_done_ = false;
  retry_after_ms_.clear();
  retry_after_.clear();
  response_.clear();
  last_body_ns_ = 0;
  sse_.reset();
  ndjson_.reset();
  terminated_ = false;
  terminated_ns_ = 0;
  completion_seen_ = false;
  content_chunks_ = 0;
  reasoning_chunks_ = 0;
  streamed_answer_words_.reset();
  streamed_reasoning_words_.reset();
  counted_reasoning_.clear();
  reported_reasoning_tokens_.reset();
  reported_input_tokens_.reset();
  estimated_reasoning_tokens_ = 0;
  abort_kind_ = ErrorKind::none;
  abort_message_.clear();
  attempt_error_ = ErrorKind::none;
  curl_error_[0] = '\0';
  text_.clear();
  estimated_output_tokens_ = 0;
  record_.headers_ns = 0;
  record_.first_token_ns = 0;
  record_.first_output_ns = 0;
  record_.reasoning_tokens = 0;
  record_.token_ns.clear();
  record_.finish_reason.clear();
  record_.usage_reported = false;
  record_.prompt_tokens = 0;
  record_.output_tokens = 0;
  record_.http_status = 0;
  record_.connection_reused = false;
  record_.error_message.clear();
  record_.server_queue_ns = -1;
  record_.server_service_ns = -1;

  const Endpoint& endpoint = context_.endpoint();
  curl_easy_reset(easy);
  curl_easy_setopt(easy, CURLOPT_URL, context_.url().c_str());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body_.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, curl_error_);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  // curl allocates this receive buffer per transfer (16 KB by default): with thousands of
  // streams in flight it was the largest part of the harness's memory per stream, while a
  // streamed chunk is a few hundred bytes. A whole (non-streamed) response keeps the default.
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, stream_ ? kStreamReceiveBufferBytes : 0L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, to_curl_ms(endpoint.timeouts.connect));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, to_curl_ms(endpoint.timeouts.total));
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, endpoint.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, endpoint.verify_tls ? 2L : 0L);
  if (!endpoint.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, endpoint.ca_file.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
  attempt_start_ns_ = steady_now_ns();
}

void Transfer::abort_attempt(ErrorKind kind, std::string message) {
  if (abort_kind_ != ErrorKind::none) return;
  abort_kind_ = kind;
  abort_message_ = std::move(message);
}

std::size_t Transfer::on_header(char* buffer, std::size_t size, std::size_t count, void* self) noexcept {
  auto* transfer = static_cast<Transfer*>(self);
  try {
    transfer->handle_header(std::string_view(buffer, size * count), steady_now_ns());
    return size * count;
  } catch (...) {
    transfer->callback_exception_ = std::current_exception();
    return 0;
  }
}

std::size_t Transfer::on_write(char* data, std::size_t size, std::size_t count, void* self) noexcept {
  auto* transfer = static_cast<Transfer*>(self);
  try {
    return transfer->handle_body(std::string_view(data, size * count), steady_now_ns()) ? size * count : 0;
  } catch (...) {
    transfer->callback_exception_ = std::current_exception();
    return 0;
  }
}

void Transfer::handle_header(std::string_view line, std::int64_t now_ns) {
  if (line.starts_with("HTTP/")) {
    // A new response (an interim 1xx may precede the final one).
    status_ = 0;
    headers_done_ = false;
    retry_after_ms_.clear();
    retry_after_.clear();
    record_.server_queue_ns = -1;
    record_.server_service_ns = -1;
    if (const std::size_t space = line.find(' ');
        space != std::string_view::npos && line.size() >= space + 4) {
      int status = 0;
      for (std::size_t i = space + 1; i < space + 4; ++i) {
        const char c = line[i];
        if (c < '0' || c > '9') return;
        status = status * 10 + (c - '0');
      }
      status_ = status;
    }
    return;
  }
  if (trim(line).empty()) {
    if (status_ >= 200) {
      headers_done_ = true;
      record_.headers_ns = now_ns;
    }
    return;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = trim(line.substr(0, colon));
  if (iequals(name, "retry-after-ms")) {
    retry_after_ms_ = trim(line.substr(colon + 1));
  } else if (iequals(name, "retry-after")) {
    retry_after_ = trim(line.substr(colon + 1));
  } else if (iequals(name, "server-timing")) {
    parse_server_timing(line.substr(colon + 1), &record_.server_queue_ns, &record_.server_service_ns);
  }
}

bool Transfer::handle_body(std::string_view bytes, std::int64_t now_ns) {
  if (abort_kind_ != ErrorKind::none) return false;
  last_body_ns_ = now_ns;
  if (!status_ok()) {
    // Keep the start of an error body for its message; a huge one is not worth holding.
    response_.append(bytes.substr(0, kMaxErrorBodyBytes - std::min(kMaxErrorBodyBytes, response_.size())));
    return true;
  }
  if (!stream_) {
    if (response_.size() + bytes.size() > kMaxResponseBytes) {
      abort_attempt(ErrorKind::parse, "response body larger than 64 MiB");
      return false;
    }
    response_.append(bytes);
    return true;
  }
  if (terminated_) return true;  // bytes after [DONE] are ignored, as the SDKs do
  bool ok = true;
  if (streams_sse(context_.endpoint().flavor)) {
    ok = sse_.feed(bytes, [&](const SseEvent& event) { return handle_sse_event(event, now_ns); });
  } else {
    ok = ndjson_.feed(bytes, [&](std::string_view line) { return handle_chunk(line, now_ns); });
  }
  if (!ok && abort_kind_ == ErrorKind::none && !terminated_) {
    abort_attempt(ErrorKind::parse, "stream event larger than the parser's limit");
  }
  return abort_kind_ == ErrorKind::none;
}

bool Transfer::handle_sse_event(const SseEvent& event, std::int64_t now_ns) {
  if (event.event == "error") {
    // An `event: error` whose data may or may not be JSON; keep whatever message it has.
    std::string message(event.data);
    if (auto chunk = decoder_.decode_chunk(context_.endpoint().flavor, event.data); chunk && chunk->is_error) {
      message = std::string(chunk->error_message);
    }
    abort_attempt(ErrorKind::stream_error, "error event in stream: " + message);
    return false;
  }
  if (trim(event.data) == "[DONE]") {
    terminated_ = true;
    terminated_ns_ = now_ns;
    return false;
  }
  return handle_chunk(event.data, now_ns);
}

bool Transfer::handle_chunk(std::string_view json, std::int64_t now_ns) {
  const auto chunk = decoder_.decode_chunk(context_.endpoint().flavor, json);
  if (!chunk) {
    abort_attempt(ErrorKind::parse, fmt::format("stream chunk is not a JSON object: {:.80}", json));
    return false;
  }
  if (chunk->is_error) {
    abort_attempt(ErrorKind::stream_error, "error in stream: " + std::string(chunk->error_message));
    return false;
  }
  if (chunk->has_completion) completion_seen_ = true;
  apply_content(chunk->content, chunk->reasoning, now_ns);
  apply_metadata(*chunk);
  if (chunk->done) {
    terminated_ = true;
    terminated_ns_ = now_ns;
    return false;
  }
  return true;
}

void Transfer::apply_content(std::string_view content, std::string_view reasoning, std::int64_t now_ns) {
  // The role chunk and the finish chunk carry no token. A reasoning delta is a generated token
  // like an answer delta: it sets TTFT and joins token_ns (ITL, TPOT); only an answer delta
  // sets the time to first output and reaches the text and the observer's on_token.
  if (content.empty() && reasoning.empty()) return;
  if (record_.first_token_ns == 0) {
    record_.first_token_ns = now_ns;
    if (observer_ != nullptr) observer_->on_first_token(now_ns);
  }
  record_.token_ns.push_back(now_ns);
  if (!reasoning.empty()) ++reasoning_chunks_;
  // Without usage the reply is counted at the end: with the tokenizer from its text (the answer
  // is kept in text_ then, whether or not the caller wants it), else estimated from its words.
  const bool counting = context_.endpoint().tokenizer != nullptr;
  if (counting) {
    counted_reasoning_.append(reasoning);
  } else if (stream_) {
    streamed_reasoning_words_.feed(reasoning);
    streamed_answer_words_.feed(content);
  }
  if (content.empty()) return;
  if (record_.first_output_ns == 0) record_.first_output_ns = now_ns;
  ++content_chunks_;
  if (keep_text_ || counting) text_.append(content);
  if (observer_ != nullptr) observer_->on_token(content, now_ns);
}

void Transfer::apply_metadata(const DecodedChunk& chunk) {
  if (!chunk.finish_reason.empty()) record_.finish_reason.assign(chunk.finish_reason);
  if (chunk.has_usage) {
    record_.usage_reported = true;
    record_.output_tokens = chunk.completion_tokens;
    record_.prompt_tokens = chunk.prompt_tokens;
  }
  if (chunk.reasoning_tokens) reported_reasoning_tokens_ = chunk.reasoning_tokens;
  // Anthropic reports the prompt tokens in message_start and the output count later.
  if (chunk.input_tokens) reported_input_tokens_ = chunk.input_tokens;
  if (record_.usage_reported && reported_input_tokens_) record_.prompt_tokens = *reported_input_tokens_;
}

void Transfer::finish_non_stream(std::int64_t now_ns) {
  const auto response = decoder_.decode_response(context_.endpoint().flavor, response_);
  if (!response) {
    attempt_error_ = ErrorKind::parse;
    record_.error_message = fmt::format("response body is not a JSON object: {:.80}", response_);
    return;
  }
  if (response->is_error) {
    attempt_error_ = ErrorKind::stream_error;
    record_.error_message = "error object in a 2xx response: " + std::string(response->error_message);
    return;
  }
  if (!response->has_completion) {
    // Valid JSON, 2xx, but no answer in it ({"status":"ok"}, {"choices":[]}): not a success.
    attempt_error_ = ErrorKind::parse;
    record_.error_message = fmt::format("reply has no completion ({}): {:.80}",
                                        completion_location(context_.endpoint().flavor, false), response_);
    return;
  }
  const std::int64_t arrival = last_body_ns_ != 0 ? last_body_ns_ : now_ns;
  if (!context_.endpoint().tokenizer) {  // with one, complete() counts the text instead
    estimated_reasoning_tokens_ = estimate_tokens(response->reasoning);
    estimated_output_tokens_ = estimate_tokens(response->content) + estimated_reasoning_tokens_;
  }
  if (!response->content.empty() || !response->reasoning.empty()) {
    apply_content(response->content, response->reasoning, arrival);
  } else {
    note_empty_completion(arrival);
  }
  apply_metadata(*response);
}

void Transfer::note_empty_completion(std::int64_t complete_ns) {
  // An empty but well-formed completion is a success with no output: its "first token" is the
  // moment the (empty) answer was complete, the end of the body or the stream's terminator, so
  // a streamed and a whole empty reply both have a TTFT (docs/metrics.md). No observer call:
  // no token arrived.
  record_.first_token_ns = complete_ns;
  if (record_.first_output_ns == 0) record_.first_output_ns = complete_ns;
  record_.token_ns.push_back(complete_ns);
}

ErrorKind Transfer::finish_attempt(CURL* easy, CURLcode code, std::int64_t now_ns) {
  record_.http_status = status_;
  long connects = 0;
  if (curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK) {
    record_.connection_reused = status_ != 0 && connects == 0;
  }
  if (callback_exception_) {
    attempt_error_ = ErrorKind::cancelled;
    record_.error_message = "exception in a client callback";
  } else if (abort_kind_ != ErrorKind::none) {
    attempt_error_ = abort_kind_;
    record_.error_message = abort_message_;
  } else if (code != CURLE_OK) {
    attempt_error_ = classify_curl(code);
    std::string detail =
        curl_error_[0] != '\0' ? std::string(curl_error_) : std::string(curl_easy_strerror(code));
    if (code == CURLE_OPERATION_TIMEDOUT) {
      detail =
          fmt::format("{} timeout ({}): {}", headers_done_ || status_ != 0 ? "total" : "connect or total",
                      status_ != 0 ? format_duration(context_.endpoint().timeouts.total)
                                   : format_duration(context_.endpoint().timeouts.connect),
                      detail);
    }
    record_.error_message = std::move(detail);
  } else if (!status_ok()) {
    attempt_error_ = error_kind_for_status(status_);
    // "HTTP 401: Incorrect API key provided. [invalid_api_key]": whatever shape of error body
    // the server (or a proxy in front of it) sent. Parsed here only, on the error path.
    std::string message = fmt::format("HTTP {}", status_);
    if (const std::string said = error_body_message(response_); !said.empty()) message += ": " + said;
    record_.error_message = std::move(message);
  } else if (stream_) {
    if (!terminated_ && context_.endpoint().flavor == ApiFlavor::ollama_chat && ndjson_.has_partial_line()) {
      ndjson_.flush([&](std::string_view line) { return handle_chunk(line, last_body_ns_); });
    }
    if (abort_kind_ != ErrorKind::none) {
      attempt_error_ = abort_kind_;
      record_.error_message = abort_message_;
    } else if (!terminated_) {
      attempt_error_ = ErrorKind::truncated;
      record_.error_message = fmt::format("stream ended without {}", stream_terminator(context_.endpoint().flavor));
    } else if (!completion_seen_) {
      attempt_error_ = ErrorKind::parse;
      record_.error_message = fmt::format("reply has no completion: {} before {}",
                                          completion_location(context_.endpoint().flavor, true),
                                          stream_terminator(context_.endpoint().flavor));
    } else if (record_.first_token_ns == 0) {
      note_empty_completion(terminated_ns_ != 0 ? terminated_ns_ : now_ns);
    }
  } else {
    finish_non_stream(now_ns);
  }
  record_.error = attempt_error_;
  if (attempt_error_ == ErrorKind::http_429) ++record_.rejected_attempts;
  return attempt_error_;
}

void Transfer::rethrow_callback_exception() {
  if (callback_exception_) std::rethrow_exception(std::exchange(callback_exception_, nullptr));
}

std::optional<std::chrono::nanoseconds> Transfer::next_retry_delay(double jitter_unit) const {
  const RetryPolicy& policy = context_.endpoint().retry;
  if (attempt_error_ == ErrorKind::none || record_.retries >= policy.max_retries) return std::nullopt;
  if (!is_retryable(policy, attempt_error_)) return std::nullopt;
  const auto hint = parse_retry_after(retry_after_ms_, retry_after_);
  return retry_delay(policy, record_.retries + 1u, hint, jitter_unit);
}

void Transfer::note_retry(std::int64_t now_ns) {
  ++record_.retries;
  if (observer_ != nullptr) observer_->on_retry(record_.retries, now_ns);
}

void Transfer::fail(ErrorKind kind, std::string message) {
  attempt_error_ = kind;
  record_.error = kind;
  record_.error_message = std::move(message);
}

InvokeResult Transfer::complete(std::int64_t now_ns) {
  record_.end_ns = now_ns;
  record_.error = attempt_error_;
  // The server's hint also paces a closed-loop user after a final failure (load/failure_pause.h).
  if (const auto hint = parse_retry_after(retry_after_ms_, retry_after_)) record_.retry_after_ms = hint->count();
  // What the server did not report is counted with the tokenizer (exactly the text that
  // arrived), else estimated (StepMetrics counts these requests): a stream's token chunks (one
  // token each as most servers send them) or, when more, the words of its text (servers that
  // send several tokens per chunk); a whole reply's text by the shared word estimate.
  const auto& tokenizer = context_.endpoint().tokenizer;
  std::optional<std::uint32_t> counted_reasoning;
  if (tokenizer && (!record_.usage_reported || !reported_reasoning_tokens_)) {
    counted_reasoning = tokenizer->count(counted_reasoning_);
  }
  if (!record_.usage_reported) {
    record_.prompt_tokens = prompt_tokens_estimate_;
    if (tokenizer) {
      record_.output_tokens = tokenizer->count(text_) + *counted_reasoning;
      record_.tokens_counted = true;
    } else {
      record_.output_tokens = stream_ ? std::max(content_chunks_ + reasoning_chunks_,
                                                 streamed_answer_words_.count() + streamed_reasoning_words_.count())
                                      : estimated_output_tokens_;
    }
  }
  record_.reasoning_tokens = reported_reasoning_tokens_.value_or(
      counted_reasoning ? *counted_reasoning
                        : stream_ ? std::max(reasoning_chunks_, streamed_reasoning_words_.count())
                                  : estimated_reasoning_tokens_);
  if (record_.ok() && required_output_tokens_ > 0) {
    // Counted tokens decide; an estimated count defers to a server that says it hit the cap.
    record_.stopped_early = record_.output_tokens < required_output_tokens_ &&
                            (record_.usage_reported || record_.finish_reason != "length");
  }
  if (!record_.error_message.empty()) {
    // The configured key first (exactly), then anything else that looks like a credential:
    // error messages end up in reports and logs.
    record_.error_message =
        truncate_utf8(redact_secrets(context_.redact(record_.error_message)), kMaxMessageChars);
  }
  if (observer_ != nullptr) {
    if (record_.ok()) {
      observer_->on_end(record_);
    } else {
      observer_->on_error(record_);
    }
  }
  return InvokeResult{std::move(record_), keep_text_ ? std::move(text_) : std::string()};
}

std::int64_t Transfer::first_token_deadline_ns() const noexcept {
  const auto limit = context_.endpoint().timeouts.first_token;
  if (!stream_ || record_.first_token_ns != 0 || limit.count() <= 0 || attempt_start_ns_ == 0) return 0;
  return attempt_start_ns_ + std::chrono::duration_cast<std::chrono::nanoseconds>(limit).count();
}

}  // namespace llmbench::harness
