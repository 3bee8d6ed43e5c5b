#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "common/token_estimate.h"
#include "harness/client/chat_request.h"
#include "harness/client/chunk_decoder.h"
#include "harness/client/client_context.h"
#include "harness/client/executor.h"
#include "harness/client/invoke_result.h"
#include "harness/client/ndjson_parser.h"
#include "harness/client/sse_parser.h"
#include "harness/client/stream_observer.h"

namespace llmbench::harness {

// One logical request (all its attempts) as every execution model drives it: the state fed
// by libcurl's header and write callbacks (incremental parser → chunk decoder →
// StreamObserver → RequestRecord), the classification of each attempt's outcome, and the
// retry decision. The drivers (SyncClient, CoroutineClient) only decide *how* to wait.
//
// Driver protocol:
//   begin(now); loop { prepare_attempt(easy); <run easy until done, or abort_attempt()>;
//                      finish_attempt(easy, code, now); rethrow_callback_exception();
//                      if (auto d = next_retry_delay(u)) { wait d; note_retry(now); } else break; }
//   complete(now)
// No exception ever leaves a curl callback: one thrown inside (by an observer, or
// bad_alloc) aborts the transfer and is rethrown by rethrow_callback_exception().
// Not thread-safe: one driver thread.
class Transfer {
 public:
  // `decoder` is the driver's, shared by the transfers it runs one callback at a time (one per
  // thread or event loop): 4.4 KB less per in-flight request than one decoder each.
  Transfer(const ClientContext& context, ChunkDecoder& decoder, const ChatRequest& request, const SendSpec& spec);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  void begin(std::int64_t now_ns);
  // curl_easy_reset(easy), then every option of one attempt; clears the attempt's state.
  void prepare_attempt(CURL* easy);
  // Ends the running attempt from outside curl (cancellation, first-token deadline); the
  // driver then removes the handle and calls finish_attempt.
  void abort_attempt(ErrorKind kind, std::string message);
  // Classifies the attempt that just ended with `code`; the handle is no longer running.
  ErrorKind finish_attempt(CURL* easy, CURLcode code, std::int64_t now_ns);
  void rethrow_callback_exception();
  // Delay before the next attempt when the last one failed retryably and retries remain.
  std::optional<std::chrono::nanoseconds> next_retry_delay(double jitter_unit) const;
  void note_retry(std::int64_t now_ns);
  // Fails the request without (another) attempt, e.g. cancelled before start or in backoff.
  void fail(ErrorKind kind, std::string message);
  // Ends the request; calls the observer's on_end or on_error. Call once.
  InvokeResult complete(std::int64_t now_ns);

  // Steady-clock ns by which the first content token must arrive; 0 when no deadline applies
  // (not streaming, already arrived, or no first-token timeout configured).
  std::int64_t first_token_deadline_ns() const noexcept;
  const RequestRecord& record() const noexcept { return record_; }
  bool streaming() const noexcept { return stream_; }

 private:
  static std::size_t on_header(char* buffer, std::size_t size, std::size_t count, void* self) noexcept;
  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* self) noexcept;
  void handle_header(std::string_view line, std::int64_t now_ns);
  bool handle_body(std::string_view bytes, std::int64_t now_ns);
  bool handle_sse_event(const SseEvent& event, std::int64_t now_ns);
  bool handle_chunk(std::string_view json, std::int64_t now_ns);
  void apply_content(std::string_view content, std::string_view reasoning, std::int64_t now_ns);
  void apply_metadata(const DecodedChunk& chunk);
  void finish_non_stream(std::int64_t now_ns);
  void note_empty_completion(std::int64_t complete_ns);
  bool status_ok() const noexcept { return status_ >= 200 && status_ < 300; }

  const ClientContext& context_;
  ChunkDecoder& decoder_;
  const bool stream_;
  const bool keep_text_;
  StreamObserver* observer_;
  std::string body_;  // request body, the same for every attempt
  curl_slist* headers_ = nullptr;        // the context's shared list, or owned_headers_
  curl_slist* owned_headers_ = nullptr;  // only when the request adds headers of its own
  std::uint32_t prompt_tokens_estimate_;
  std::uint32_t required_output_tokens_;  // request_fields.h; 0: the request insists on none

  RequestRecord record_;
  std::string text_;  // the answer as received: with keep_text_, or to count it with the tokenizer
  std::uint32_t estimated_output_tokens_ = 0;  // a whole reply's text, by the word estimate

  // State of the current attempt.
  std::int64_t attempt_start_ns_ = 0;
  int status_ = 0;
  bool headers_done_ = false;
  std::string retry_after_ms_;
  std::string retry_after_;
  std::string response_;  // whole body (non-stream) or error body (non-2xx), bounded
  std::int64_t last_body_ns_ = 0;
  SseParser sse_;
  NdjsonParser ndjson_;
  bool terminated_ = false;  // [DONE] or done:true seen
  std::int64_t terminated_ns_ = 0;  // when it was seen
  bool completion_seen_ = false;  // a chunk carried a choice / message (DecodedChunk::has_completion)
  std::uint32_t content_chunks_ = 0;
  std::uint32_t reasoning_chunks_ = 0;
  // A stream's answer and reasoning text estimated as it arrives (no text kept): servers that
  // send several tokens per chunk (a third-party mock sends 50 characters) are not undercounted.
  TokenEstimator streamed_answer_words_;
  TokenEstimator streamed_reasoning_words_;
  // With a tokenizer: the reasoning text as received, counted at the end (the answer is text_).
  std::string counted_reasoning_;
  std::optional<std::uint32_t> reported_reasoning_tokens_;  // usage's completion_tokens_details
  std::optional<std::uint32_t> reported_input_tokens_;      // Anthropic message_start's input_tokens
  std::uint32_t estimated_reasoning_tokens_ = 0;            // a whole reply's reasoning text
  ErrorKind abort_kind_ = ErrorKind::none;
  std::string abort_message_;
  ErrorKind attempt_error_ = ErrorKind::none;
  std::exception_ptr callback_exception_;
  char curl_error_[CURL_ERROR_SIZE] = {};
};

}  // namespace llmbench::harness
