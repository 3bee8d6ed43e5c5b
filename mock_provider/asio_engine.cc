// Engine "asio": one event-loop thread, one C++20 coroutine per connection, Beast's HTTP
// parser. A stream costs a coroutine frame and a timer, not a thread, so thousands of
// concurrent streams stay cheap; a stream that falls behind writes everything due at once.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <atomic>
#include <optional>
#include <thread>
#include <unordered_set>

#include "common/clock.h"
#include "mock_provider/engine.h"

namespace llmbench::mock {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

std::optional<std::string_view> header_value(const http::request<http::string_body>& req, std::string_view name) {
  const auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return std::string_view(it->value());
}

class AsioEngine final : public Engine {
 public:
  explicit AsioEngine(Provider& provider) : provider_(provider) {}
  ~AsioEngine() override { stop(); }

  void start() override {
    const MockConfig& config = provider_.config();
    tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(config.host, std::to_string(config.port),
                                            tcp::resolver::passive | tcp::resolver::numeric_service);
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.emplace(ioc_);
    acceptor_->open(endpoint.protocol());
    acceptor_->set_option(asio::socket_base::reuse_address(true));
    acceptor_->bind(endpoint);
    // A deep backlog: load tests connect thousands of sockets in bursts.
    acceptor_->listen(4096);
    port_ = acceptor_->local_endpoint().port();
    asio::co_spawn(ioc_, accept_loop(), [](std::exception_ptr) {});
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void stop() override {
    if (!thread_.joinable()) return;
    asio::post(ioc_, [this] {
      stopping_ = true;
      beast::error_code ignored;
      if (acceptor_) acceptor_->close(ignored);
      for (Connection* c : connections_) c->shutdown();
    });
    thread_.join();
  }

  std::uint16_t port() const override { return port_; }

 private:
  struct Connection {
    beast::tcp_stream& stream;
    asio::steady_timer& timer;
    void shutdown() {
      beast::error_code ignored;
      timer.cancel();
      stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream.socket().close(ignored);
    }
  };

  asio::awaitable<void> accept_loop() {
    while (!stopping_) {
      auto [ec, socket] = co_await acceptor_->async_accept(use_tuple);
      if (stopping_) co_return;
      if (ec) {
        // Out of descriptors: back off briefly instead of spinning on accept.
        asio::steady_timer pause(ioc_, std::chrono::milliseconds(10));
        co_await pause.async_wait(use_tuple);
        continue;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      asio::co_spawn(ioc_, session(std::move(socket)), [](std::exception_ptr) {});
    }
  }

  // Waits until steady-clock `due_ns`; false if the engine is stopping.
  asio::awaitable<bool> wait_until(asio::steady_timer& timer, std::int64_t due_ns) {
    if (due_ns > steady_now_ns()) {
      timer.expires_at(steady_from_ns(due_ns));
      co_await timer.async_wait(use_tuple);
    }
    co_return !stopping_;
  }

  asio::awaitable<bool> write(beast::tcp_stream& stream, const std::string& bytes) {
    stream.expires_after(provider_.config().idle_timeout);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes), use_tuple);
    stream.expires_never();
    co_return !ec && !stopping_;
  }

  // Serves one exchange; false when the connection must close.
  asio::awaitable<bool> serve(beast::tcp_stream& stream, asio::steady_timer& timer, Exchange& exchange,
                              bool keep_alive) {
    if (exchange.waiting_for_slot()) {
      timer.expires_at(asio::steady_timer::time_point::max());
      exchange.set_slot_waker([&timer] { timer.cancel(); });
      while (exchange.waiting_for_slot() && !stopping_) co_await timer.async_wait(use_tuple);
      if (stopping_) co_return false;
    }
    if (exchange.stalled()) {
      // No bytes until the client gives up (its close ends the read) or stall_timeout passes.
      stream.expires_after(provider_.config().stall_timeout);
      char byte = 0;
      while (!stopping_) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(&byte, 1), use_tuple);
        if (ec) break;
      }
      co_return false;
    }
    exchange.begin(steady_now_ns());
    const ResponseHead& head = exchange.head();
    if (!head.chunked) {
      BodyPiece piece = exchange.next_piece();
      if (!co_await wait_until(timer, piece.due_ns)) co_return false;
      if (piece.then == BodyPiece::Then::drop) co_return false;
      std::string out = serialize_head(head, static_cast<long long>(piece.bytes.size()), keep_alive);
      out += piece.bytes;
      co_return co_await write(stream, out) && keep_alive;
    }
    std::string out = serialize_head(head, -1, keep_alive);
    if (!co_await write(stream, out)) co_return false;
    std::optional<BodyPiece> pending = exchange.next_piece();
    while (pending) {
      if (!co_await wait_until(timer, pending->due_ns)) co_return false;
      // Everything already due goes out in one write, so a stream that fell behind catches
      // up at once instead of queueing one timer per late token.
      out.clear();
      BodyPiece::Then then = BodyPiece::Then::more;
      const std::int64_t now = steady_now_ns();
      while (pending && pending->due_ns <= now) {
        append_chunk(out, pending->bytes);
        then = pending->then;
        pending.reset();
        if (then == BodyPiece::Then::more) pending = exchange.next_piece();
      }
      if (then == BodyPiece::Then::end) out += "0\r\n\r\n";
      if (!out.empty() && !co_await write(stream, out)) co_return false;
      if (then == BodyPiece::Then::drop) co_return false;
      if (then == BodyPiece::Then::end) co_return keep_alive;
    }
    co_return false;
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    asio::steady_timer timer(ioc_);
    Connection connection{stream, timer};
    connections_.insert(&connection);
    struct Unregister {
      AsioEngine& engine;
      Connection* connection;
      ~Unregister() { engine.connections_.erase(connection); }
    } unregister{*this, &connection};

    const MockConfig& config = provider_.config();
    beast::flat_buffer buffer;
    while (!stopping_) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(64 * 1024);
      parser.body_limit(config.max_body_bytes);
      // Bounds idle keep-alive connections and slow-loris requests alike.
      stream.expires_after(config.idle_timeout);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      stream.expires_never();
      if (stopping_) break;
      std::unique_ptr<Exchange> exchange;
      const std::int64_t now = steady_now_ns();
      if (ec == http::error::body_limit) {  // Content-Length over the limit: known from the header
        const auto& req = parser.get();
        IncomingRequest in;
        in.method = req.method_string();
        in.target = req.target();
        in.body_too_large = true;
        exchange = provider_.handle(in, now);
      } else if (ec == http::error::header_limit) {
        exchange = provider_.error_response(431, "Request header fields too large.", "request_header_too_large", now);
      } else if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message) {
        exchange = provider_.error_response(400, fmt::format("Malformed HTTP request: {}.", ec.message()),
                                            "malformed_request", now);
      } else if (ec) {
        break;  // closed, timed out or reset
      }
      if (exchange) {  // an error found while reading: answer and close (the stream is out of sync)
        co_await serve(stream, timer, *exchange, false);
        break;
      }
      const auto& req = parser.get();
      IncomingRequest in;
      in.method = req.method_string();
      in.target = req.target();
      in.body = req.body();
      in.headers.authorization = header_value(req, "authorization");
      in.headers.mock_ttft_ms = header_value(req, "x-mock-ttft-ms");
      in.headers.mock_itl_ms = header_value(req, "x-mock-itl-ms");
      in.headers.mock_output_tokens = header_value(req, "x-mock-output-tokens");
      in.headers.mock_fault = header_value(req, "x-mock-fault");
      exchange = provider_.handle(in, now);
      const bool keep_alive = req.keep_alive();
      const bool keep = co_await serve(stream, timer, *exchange, keep_alive);
      if (!keep) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
  }

  Provider& provider_;
  asio::io_context ioc_{1};
  std::optional<tcp::acceptor> acceptor_;
  std::thread thread_;
  std::uint16_t port_ = 0;
  bool stopping_ = false;  // touched only on the event-loop thread
  std::unordered_set<Connection*> connections_;
};

}  // namespace

std::unique_ptr<Engine> make_asio_engine(Provider& provider) { return std::make_unique<AsioEngine>(provider); }

}  // namespace llmbench::mock
