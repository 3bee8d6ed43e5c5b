// Engine "asio": event-loop threads (MockConfig::event_loops, one by default), one C++20
// coroutine per connection, Beast's HTTP parser. A stream costs a coroutine frame and a timer,
// not a thread, so thousands of concurrent streams stay cheap; a stream that falls behind writes
// everything due at once. With several loops, loop 0 accepts and hands connections out
// round-robin; a connection then lives on its loop only, so loops share nothing but the
// (thread-safe) provider.
//
// The per-token path is one write on the raw socket and nothing else: each loop paces all its
// streams with one timing wheel and one timer (PacingWheel), writing due tokens straight from
// the wheel's wake-up; a stream's coroutine sleeps from its head to its end and wakes only to
// finish a write the socket could not take at once. One timer wait and coroutine resume per
// token cost more than the write did (docs/performance.md has the profile). No per-write
// deadline timers either (beast::tcp_stream re-arms and cancels one around every operation).
// Timeouts are plain deadlines in each connection that one sweeper checks a few times per
// second, so their cost does not grow with the token rate.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <system_error>
#include <thread>
#include <memory>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "common/clock.h"
#include "mock_provider/engine.h"
#include "mock_provider/engines/http_framing.h"
#include "mock_provider/engines/pacing_wheel.h"
#include "mock_provider/mock_server.h"

namespace llmbench::mock {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr std::int64_t kNoDeadline = 0;
// Bounds of the lingering close after an early error answer (see linger()).
constexpr std::chrono::nanoseconds kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 1024 * 1024;

// Wake-ups are rounded up to this grid, so streams due within the same quarter millisecond
// share one timer expiry, one epoll wake and one timerfd re-arm instead of one each. At 1,000
// streams x 10 tokens/s that is ~3 writes per wake, at 5,000 ~12; the wake, not the write,
// dominated the CPU per token. Costs at most this much lateness, never earliness.
constexpr std::int64_t kPacingGrainNs = 250'000;

// The wheel's horizon: 4,096 slots of 250 us, about 1 s; later tokens (a long TTFT) still
// work, sharing buckets with nearer ones.
constexpr std::size_t kPacingSlots = 4096;

constexpr std::int64_t round_up_to_grain(std::int64_t ns) {
  return (ns + kPacingGrainNs - 1) / kPacingGrainNs * kPacingGrainNs;
}

struct Connection;

// One event-loop thread and what only it touches. Member order matters for destruction: the
// io_context destroys unfinished session frames, which unregister from `connections` and
// `wheel`; the timers go before the io_context.
struct Loop {
  std::unordered_set<Connection*> connections;
  PacingWheel<Connection> wheel{kPacingGrainNs, kPacingSlots};
  std::vector<Connection*> due;  // scratch for the wheel's wake-ups
  // Each due stream's bytes are rendered here and written from here: one buffer warm in the
  // cache instead of one per connection; only what a socket does not take moves to c.out.
  std::string scratch;
  asio::io_context ioc{1};
  asio::steady_timer sweeper{ioc};
  asio::steady_timer pacer{ioc};             // armed at the wheel's earliest slot
  std::int64_t pacer_due_ns = PacingWheel<Connection>::kNone;
  std::uint64_t pacer_generation = 0;        // a wake-up of an older arming does nothing
  bool stopping = false;
  std::thread thread;
};

// Where a paced body stands, for its coroutine once woken.
enum class Streaming : std::uint8_t {
  paced,    // in the wheel (a wake now means shutdown)
  flush,    // the socket took part of a write: finish it asynchronously, then go on
  ended,    // the last piece is written
  failed,   // a write failed
};

// One client connection; lives in its session coroutine's frame, on one loop.
struct Connection {
  Connection(Loop& l, tcp::socket s) : loop(l), socket(std::move(s)), timer(socket.get_executor()) {}
  Loop& loop;
  tcp::socket socket;
  asio::steady_timer timer;              // pacing and slot waits
  std::int64_t deadline_ns = kNoDeadline;  // the sweeper closes the socket once this passes
  std::string out;                       // write buffer, reused for every write
  // While a chunked body is paced by the loop's wheel (see serve()):
  BodyPacer* body = nullptr;
  std::int64_t wheel_slot = -1;          // its slot in loop.wheel, -1 when not in it
  Streaming streaming = Streaming::ended;
  BodyPiece::Then last = BodyPiece::Then::more;  // how the last piece written ends

  void shutdown() {
    beast::error_code ignored;
    timer.cancel();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }
};

class AsioEngine final : public Engine {
 public:
  explicit AsioEngine(Provider& provider) : provider_(provider) {}
  ~AsioEngine() override { stop(); }

  void start() override {
    const MockConfig& config = provider_.config();
    const unsigned count =
        config.event_loops != 0 ? config.event_loops : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < count; ++i) loops_.push_back(std::make_unique<Loop>());
    Loop& first = *loops_.front();
    // Errors name the address instead of a Boost source location (MockServer::start()).
    auto fail = [&](const beast::error_code& ec) {
      throw std::system_error(ec.value(), std::system_category(),
                              fmt::format("cannot listen on {}", listen_address_text(config)));
    };
    beast::error_code ec;
    tcp::resolver resolver(first.ioc);
    const auto endpoints = resolver.resolve(config.host, std::to_string(config.port),
                                            tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || endpoints.empty()) fail(ec ? ec : asio::error::host_not_found);
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.emplace(first.ioc);
    acceptor_->open(endpoint.protocol(), ec);
    if (ec) fail(ec);
    acceptor_->set_option(asio::socket_base::reuse_address(true));
    acceptor_->bind(endpoint, ec);
    if (ec) fail(ec);
    // A deep backlog: load tests connect thousands of sockets in bursts.
    acceptor_->listen(4096, ec);
    if (ec) fail(ec);
    acceptor_->non_blocking(true);
    port_ = acceptor_->local_endpoint().port();
    asio::co_spawn(first.ioc, accept_loop(first), [](std::exception_ptr) {});
    for (auto& loop : loops_) {
      asio::co_spawn(loop->ioc, sweep_deadlines(*loop), [](std::exception_ptr) {});
      loop->thread = std::thread([&ioc = loop->ioc] { ioc.run(); });
    }
  }

  void stop() override {
    if (loops_.empty() || !loops_.front()->thread.joinable()) return;
    for (auto& loop : loops_) {
      asio::post(loop->ioc, [this, &l = *loop] {
        l.stopping = true;
        beast::error_code ignored;
        if (&l == loops_.front().get() && acceptor_) acceptor_->close(ignored);
        l.sweeper.cancel();
        l.pacer.cancel();
        for (Connection* c : l.connections) c->shutdown();
      });
    }
    // A connection handed to a loop after that loop stopped never starts: its frame (and
    // socket) is destroyed with the loop's io_context.
    for (auto& loop : loops_) loop->thread.join();
  }

  std::uint16_t port() const override { return port_; }

 private:
  // The loop that gets the next connection (round-robin; accept_loop's thread only).
  Loop& next_loop() {
    Loop& loop = *loops_[next_loop_];
    next_loop_ = (next_loop_ + 1) % loops_.size();
    return loop;
  }

  asio::awaitable<void> accept_loop(Loop& self) {
    while (!self.stopping) {
      Loop* target = &next_loop();
      auto [ec, socket] = co_await acceptor_->async_accept(target->ioc, use_tuple);
      if (self.stopping) co_return;
      if (ec) {
        // Out of descriptors: back off briefly instead of spinning on accept.
        asio::steady_timer pause(self.ioc, std::chrono::milliseconds(10));
        co_await pause.async_wait(use_tuple);
        continue;
      }
      spawn_session(*target, std::move(socket));
      // Drain whatever else is queued before going back to the loop: with thousands of streams
      // to pace, one accept per loop turn let bursts of connects overflow the listen queue
      // (the kernel then drops the handshake's ACK and the client waits 1-7 s in retries).
      for (int i = 0; i < 1024 && !self.stopping; ++i) {
        target = &next_loop();
        beast::error_code accept_ec;
        // Non-blocking: would_block once the queue is empty.
        tcp::socket more = acceptor_->accept(target->ioc, accept_ec);
        if (accept_ec) break;
        spawn_session(*target, std::move(more));
      }
    }
  }

  // Runs on the accepting thread; the socket is not used there after co_spawn hands it over.
  void spawn_session(Loop& loop, tcp::socket socket) {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    socket.non_blocking(true, ignored);  // write_out() writes synchronously first
    asio::co_spawn(loop.ioc, session(loop, std::move(socket)), [](std::exception_ptr) {});
  }

  // Closes connections whose deadline passed. O(connections) per sweep, a few sweeps per
  // second: a timeout may fire up to one period late, which no timeout here cares about.
  asio::awaitable<void> sweep_deadlines(Loop& loop) {
    const MockConfig& config = provider_.config();
    const auto shortest = std::min(config.idle_timeout, config.stall_timeout);
    const auto period = std::clamp<std::chrono::nanoseconds>(shortest / 8, std::chrono::milliseconds(5),
                                                             std::chrono::milliseconds(250));
    while (!loop.stopping) {
      loop.sweeper.expires_after(period);
      co_await loop.sweeper.async_wait(use_tuple);
      if (loop.stopping) co_return;
      const std::int64_t now = steady_now_ns();
      for (Connection* c : loop.connections) {
        if (c->deadline_ns != kNoDeadline && c->deadline_ns <= now) {
          c->deadline_ns = kNoDeadline;
          c->shutdown();  // cancels the pending read or write; its coroutine then ends
        }
      }
    }
  }

  static std::int64_t deadline_after(std::chrono::nanoseconds timeout) { return steady_now_ns() + timeout.count(); }

  // Waits until steady-clock `due_ns` (rounded up to the pacing grain); false if the engine
  // is stopping.
  asio::awaitable<bool> wait_until(Connection& c, std::int64_t due_ns) {
    if (due_ns > steady_now_ns()) {
      c.timer.expires_at(steady_from_ns(round_up_to_grain(due_ns)));
      co_await c.timer.async_wait(use_tuple);
    }
    co_return !c.loop.stopping;
  }

  // Writes and clears c.out. The socket is non-blocking: a write that fits the send buffer
  // (nearly every token) completes right here, with no reactor operation, completion handler
  // or coroutine suspension; only the rest of a partial write waits asynchronously. A client
  // that stops reading is cut off after idle_timeout.
  asio::awaitable<bool> write_out(Connection& c) {
    beast::error_code ec;
    const std::size_t written = c.socket.write_some(asio::buffer(c.out), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
    if (!ec && written < c.out.size()) {
      c.deadline_ns = deadline_after(provider_.config().idle_timeout);
      const auto rest = asio::buffer(c.out.data() + written, c.out.size() - written);
      std::tie(ec, std::ignore) = co_await asio::async_write(c.socket, rest, use_tuple);
      c.deadline_ns = kNoDeadline;
    }
    c.out.clear();
    co_return !ec && !c.loop.stopping;
  }

  // Serves one exchange; false when the connection must close.
  asio::awaitable<bool> serve(Connection& c, Exchange& exchange, bool keep_alive) {
    if (exchange.waiting_for_slot()) {
      c.timer.expires_at(asio::steady_timer::time_point::max());
      // The waker runs on whichever thread frees the slot, maybe another loop's: it posts the
      // cancel to this connection's loop, and does nothing if the wait has ended meanwhile.
      auto waiting_timer = std::make_shared<asio::steady_timer*>(&c.timer);
      exchange.set_slot_waker([weak = std::weak_ptr(waiting_timer), executor = c.timer.get_executor()] {
        asio::post(executor, [weak] {
          if (const auto timer = weak.lock()) (*timer)->cancel();
        });
      });
      while (exchange.waiting_for_slot() && !c.loop.stopping) co_await c.timer.async_wait(use_tuple);
      if (c.loop.stopping) co_return false;
    }
    if (exchange.stalled()) {  // no bytes until the client gives up or stall_timeout passes
      co_await discard_input(c, provider_.config().stall_timeout, SIZE_MAX);
      co_return false;
    }
    exchange.begin(steady_now_ns());
    const ResponseHead& head = exchange.head();
    if (!head.chunked) {
      BodyPiece piece = exchange.next_piece();
      if (!co_await wait_until(c, piece.due_ns)) co_return false;
      if (piece.then == BodyPiece::Then::drop) co_return false;
      c.out = serialize_head(head, static_cast<long long>(piece.bytes.size()), keep_alive);
      c.out += piece.bytes;
      co_return co_await write_out(c) && keep_alive;
    }
    c.out = serialize_head(head, -1, keep_alive);
    if (!co_await write_out(c)) co_return false;
    // The loop's wheel writes the body (pump()); this coroutine sleeps until the body ends, a
    // write must wait for the socket, or the connection is shut down.
    BodyPacer body(exchange);
    struct Detach {
      Connection& c;
      ~Detach() { c.body = nullptr; }
    } detach{c};
    c.body = &body;
    while (!body.done()) {
      c.streaming = Streaming::paced;
      schedule(c, body.due_ns());
      c.timer.expires_at(asio::steady_timer::time_point::max());
      co_await c.timer.async_wait(use_tuple);
      unschedule(c);
      if (c.loop.stopping) co_return false;
      if (c.streaming == Streaming::flush) {
        if (!co_await write_out(c)) co_return false;
        if (c.last == BodyPiece::Then::more) continue;
      } else if (c.streaming != Streaming::ended) {
        co_return false;  // shut down (still paced) or a failed write
      }
      co_return c.last == BodyPiece::Then::end && keep_alive;
    }
    co_return false;
  }

  // Puts c's next piece in its loop's wheel.
  void schedule(Connection& c, std::int64_t due_ns) {
    c.wheel_slot = c.loop.wheel.add(&c, due_ns);
    arm_pacer(c.loop);
  }

  static void unschedule(Connection& c) {
    if (c.wheel_slot < 0) return;
    c.loop.wheel.remove(&c, c.wheel_slot);
    c.wheel_slot = -1;
  }

  // Keeps the loop's one pacing timer armed at the wheel's earliest slot. Re-arming cancels
  // the older wait, whose handler then sees a stale generation and does nothing.
  void arm_pacer(Loop& loop) {
    const std::int64_t next = loop.wheel.next_due_ns();
    if (next >= loop.pacer_due_ns) return;
    loop.pacer_due_ns = next;
    const std::uint64_t generation = ++loop.pacer_generation;
    loop.pacer.expires_at(steady_from_ns(next));
    loop.pacer.async_wait([this, &loop, generation](const beast::error_code&) {
      if (generation != loop.pacer_generation || loop.stopping) return;
      on_pacer(loop);
    });
  }

  // A wake-up of the wheel: writes every due piece of every due stream, in one loop turn.
  void on_pacer(Loop& loop) {
    loop.pacer_due_ns = PacingWheel<Connection>::kNone;
    const std::int64_t now = steady_now_ns();
    loop.due.clear();
    loop.wheel.take_due(now, loop.due);
    for (Connection* c : loop.due) {
      c->wheel_slot = -1;
      pump(*c, now);
    }
    loop.due.clear();
    arm_pacer(loop);
  }

  // Writes what of c's body is due, synchronously on the non-blocking socket (a token nearly
  // always fits the send buffer), then puts c back in the wheel for its next piece, or wakes
  // its coroutine: the body ended, the write failed, or the socket took only part of it.
  static void pump(Connection& c, std::int64_t now) {
    std::string& out = c.loop.scratch;
    out.clear();
    c.last = c.body->take_due(now, out, true);
    if (!out.empty()) {
      beast::error_code ec;
      const std::size_t written = c.socket.write_some(asio::buffer(out), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
      if (ec) return wake(c, Streaming::failed);
      if (written < out.size()) {
        c.out.assign(out, written);
        return wake(c, Streaming::flush);
      }
    }
    if (c.last != BodyPiece::Then::more) return wake(c, Streaming::ended);
    c.wheel_slot = c.loop.wheel.add(&c, c.body->due_ns());
  }

  static void wake(Connection& c, Streaming state) {
    c.streaming = state;
    c.timer.cancel();
  }

  // After an error answered before the request was read to its end (413, 431, 400), closing at
  // once with unread bytes makes the kernel send a reset, which can destroy the answer before
  // the client reads it. Half-close, then read and discard what the client still sends, for a
  // bounded time and byte count, before closing.
  asio::awaitable<void> linger(Connection& c) {
    beast::error_code ignored;
    c.socket.shutdown(tcp::socket::shutdown_send, ignored);
    co_await discard_input(c, std::min<std::chrono::nanoseconds>(provider_.config().idle_timeout, kLingerTime),
                           kLingerBytes);
  }

  // Reads and drops what the client sends until it closes, `max_bytes` arrive, `timeout` passes
  // or the engine stops.
  asio::awaitable<void> discard_input(Connection& c, std::chrono::nanoseconds timeout, std::size_t max_bytes) {
    c.deadline_ns = deadline_after(timeout);
    std::array<char, 1024> discard;
    for (std::size_t total = 0; total < max_bytes && !c.loop.stopping;) {
      auto [ec, n] = co_await c.socket.async_read_some(asio::buffer(discard), use_tuple);
      if (ec) break;
      total += n;
    }
    c.deadline_ns = kNoDeadline;
  }

  asio::awaitable<void> session(Loop& loop, tcp::socket socket) {
    Connection c(loop, std::move(socket));
    loop.connections.insert(&c);
    struct Unregister {
      Connection& connection;
      ~Unregister() {
        connection.loop.connections.erase(&connection);
        unschedule(connection);  // a frame destroyed with its loop, mid-body
      }
    } unregister{c};

    const MockConfig& config = provider_.config();
    beast::flat_buffer buffer;
    while (!loop.stopping) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kRequestHeadLimitBytes);
      parser.body_limit(config.max_body_bytes);
      // Bounds idle keep-alive connections and slow-loris requests alike.
      c.deadline_ns = deadline_after(config.idle_timeout);
      auto [ec, n] = co_await http::async_read_header(c.socket, buffer, parser, use_tuple);
      if (!ec && !parser.is_done()) {
        // A client that sent "Expect: 100-continue" (curl does for bodies over 1 MiB) waits
        // for this before sending the body, a whole second by default. A body over the limit
        // never gets here: the header read already failed with body_limit, answered below.
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
          c.out = "HTTP/1.1 100 Continue\r\n\r\n";
          if (!co_await write_out(c)) break;
        }
        std::tie(ec, n) = co_await http::async_read(c.socket, buffer, parser, use_tuple);
      }
      c.deadline_ns = kNoDeadline;
      if (loop.stopping) break;
      const auto& req = parser.get();
      std::optional<ReadFailure> failure;
      if (ec == http::error::body_limit) {  // Content-Length over the limit: known from the header
        failure = ReadFailure::body_too_large;
      } else if (ec == http::error::header_limit) {
        failure = ReadFailure::head_too_large;
      } else if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message) {
        failure = ReadFailure::malformed;
      } else if (ec) {
        break;  // closed, timed out or reset
      }
      if (failure) {  // answer and close (the stream is out of sync)
        const auto exchange =
            read_failure_response(provider_, *failure, req.method_string(), req.target(), steady_now_ns(), 400,
                                  ec.message());
        co_await serve(c, *exchange, false);
        if (!loop.stopping) co_await linger(c);
        break;
      }
      auto find = [&req](std::string_view name) -> std::optional<std::string_view> {
        const auto it = req.find(name);
        return it == req.end() ? std::nullopt : std::optional<std::string_view>(it->value());
      };
      const IncomingRequest in{req.method_string(), req.target(), req.body(), RequestHeaders::from(find)};
      const auto exchange = provider_.handle(in, steady_now_ns());
      if (!co_await serve(c, *exchange, req.keep_alive())) break;
    }
    beast::error_code ignored;
    c.socket.shutdown(tcp::socket::shutdown_send, ignored);
    c.socket.close(ignored);
  }

  Provider& provider_;
  std::vector<std::unique_ptr<Loop>> loops_;  // fixed once start() returns
  std::optional<tcp::acceptor> acceptor_;      // on loop 0; destroyed before the loops
  std::size_t next_loop_ = 0;
  std::uint16_t port_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_asio_engine(Provider& provider) { return std::make_unique<AsioEngine>(provider); }

}  // namespace llmbench::mock
