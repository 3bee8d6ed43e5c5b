#pragma once

// A tiny synchronous HTTP/1.1 client for the mock's tests (Beast over a blocking socket).
// It records when each body chunk arrived, so tests can check TTFT and ITL on the wire.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace llmbench::mock::testing {

struct TestResponse {
  int status = 0;  // 0: no response (connection closed or timed out before a head)
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  std::vector<std::pair<std::int64_t, std::string>> chunks;  // arrival ns, complete events
  std::int64_t sent_ns = 0;
  std::int64_t done_ns = 0;
  bool complete = false;          // the body ended properly (Content-Length or the 0-chunk)
  std::string error;              // why it did not complete

  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (boost::beast::iequals(n, name)) return v;
    }
    return {};
  }
};

struct TestRequest {
  std::string method = "POST";
  std::string target = "/v1/chat/completions";
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};
  std::chrono::milliseconds timeout{10'000};
};

class TestHttpClient {
 public:
  explicit TestHttpClient(std::uint16_t port) : port_(port), stream_(ioc_) {}

  // Sends on a kept-alive connection when possible (reconnects if the server closed it).
  TestResponse send(const TestRequest& request) {
    namespace http = boost::beast::http;
    TestResponse response;
    boost::system::error_code ec;
    if (!stream_.socket().is_open()) connect();
    deadline_ = std::chrono::steady_clock::now() + request.timeout;
    http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!request.body.empty() || request.method == "POST") req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    req.prepare_payload();
    response.sent_ns = steady_now_ns();
    ec = run([&](auto done) { http::async_write(stream_, req, done); });
    if (ec) {
      response.error = "write: " + ec.message();
      return response;
    }
    read_response(response);
    return response;
  }

  // Raw bytes out, whatever comes back until the server closes or the timeout passes.
  std::string send_raw(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    if (!stream_.socket().is_open()) connect();
    deadline_ = std::chrono::steady_clock::now() + timeout;
    boost::system::error_code ec =
        run([&](auto done) { boost::asio::async_write(stream_, boost::asio::buffer(bytes), done); });
    std::string out;
    char buf[4096];
    while (!ec) {
      std::size_t n = 0;
      ec = run([&](auto done) {
        stream_.async_read_some(boost::asio::buffer(buf), [&n, done](boost::system::error_code e, std::size_t k) {
          n = k;
          done(e, k);
        });
      });
      out.append(buf, n);
    }
    close();
    return out;
  }

  void close() {
    boost::system::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
  }

 private:
  void connect() {
    stream_.socket().connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    buffer_.clear();
  }

  // Runs one asynchronous operation to completion, bounded by the request's deadline
  // (Asio's blocking calls ignore SO_RCVTIMEO, so timeouts need the async form).
  template <typename Start>
  boost::system::error_code run(Start start) {
    boost::system::error_code result = boost::asio::error::timed_out;
    stream_.expires_at(deadline_);
    start([&result](boost::system::error_code e, std::size_t) { result = e; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  void read_response(TestResponse& response) {
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    ec = run([&](auto done) { http::async_read_header(stream_, buffer_, parser, done); });
    if (ec) {
      response.error = "header: " + ec.message();
      close();
      return;
    }
    response.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    // An entry per read that completed one or more events (SSE "\n\n" or NDJSON "\n"):
    // arrival of an event is when its last byte arrived, as a client sees it.
    std::string pending;
    auto on_chunk = [&response, &pending](std::uint64_t, std::string_view body, boost::system::error_code&) {
      pending += body;
      response.body += body;
      const std::string_view separator = pending.starts_with("data:") ? "\n\n" : "\n";
      const auto end = pending.rfind(separator);
      if (end != std::string::npos) {
        const std::size_t cut = end + separator.size();
        response.chunks.emplace_back(steady_now_ns(), pending.substr(0, cut));
        pending.erase(0, cut);
      }
      return body.size();
    };
    parser.on_chunk_body(on_chunk);
    const bool chunked = parser.chunked();
    while (!parser.is_done()) {
      ec = run([&](auto done) { http::async_read_some(stream_, buffer_, parser, done); });
      if (ec) {
        response.error = "body: " + ec.message();
        break;
      }
    }
    response.done_ns = steady_now_ns();
    if (!chunked) {
      response.body = parser.get().body();
      if (parser.is_done()) response.chunks.emplace_back(response.done_ns, response.body);
    }
    response.complete = parser.is_done() && !ec;
    if (!response.complete || !parser.get().keep_alive()) close();
  }

  std::uint16_t port_;
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::chrono::steady_clock::time_point deadline_;
};

// Splits an SSE body into its `data:` payloads, checking the framing strictly: every event
// is exactly "data: <payload>\n\n". Returns nullopt (and `why`) on any other byte.
inline std::optional<std::vector<std::string>> parse_sse(std::string_view body, std::string* why = nullptr) {
  std::vector<std::string> events;
  while (!body.empty()) {
    if (!body.starts_with("data: ")) {
      if (why) *why = "event does not start with 'data: '";
      return std::nullopt;
    }
    const auto end = body.find("\n\n");
    if (end == std::string_view::npos) {
      if (why) *why = "event not terminated by a blank line";
      return std::nullopt;
    }
    const std::string_view payload = body.substr(6, end - 6);
    if (payload.find('\n') != std::string_view::npos) {
      if (why) *why = "multi-line event";
      return std::nullopt;
    }
    events.emplace_back(payload);
    body.remove_prefix(end + 2);
  }
  return events;
}

}  // namespace llmbench::mock::testing
