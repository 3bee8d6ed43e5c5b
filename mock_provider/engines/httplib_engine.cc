// Engine "httplib": Debian's cpp-httplib 0.11.4, one thread per connection for the
// connection's whole keep-alive life. Kept as the classic thread-per-connection baseline;
// docs/mock.md records where it stops keeping time.
//
// httplib 0.11.4 trusts its clients: it buffers a header line of any length, any number of
// headers, reads a declared body to its end, and its read timeout restarts with every byte
// (a slow-loris client holds a thread forever). Its queue of accepted connections is unbounded
// too. The engine therefore serves each connection itself (GuardedServer overrides httplib's
// per-connection entry point, as httplib's own SSLServer does) over a GuardedStream that puts
// one deadline on each whole request and byte budgets on its head and body, and runs the
// connections on an ElasticPool that refuses connections beyond `threads` with a 503.
#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "common/clock.h"
#include "mock_provider/engine.h"
#include "mock_provider/engines/http_framing.h"
#include "mock_provider/mock_server.h"

namespace llmbench::mock {

namespace {

// Waits until `fd` is ready for `events` or steady-clock `deadline_ns` passes.
bool wait_ready(int fd, short events, std::int64_t deadline_ns) {
  for (;;) {
    const std::int64_t left_ns = deadline_ns - steady_now_ns();
    if (left_ns <= 0) return false;
    pollfd p{fd, events, 0};
    const int timeout_ms = static_cast<int>(std::min<std::int64_t>((left_ns + 999'999) / 1'000'000, 1'000'000));
    const int n = ::poll(&p, 1, timeout_ms);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

// A non-blocking socket with the limits httplib lacks. Each request gets one deadline for its
// whole head and body (begin_request) and a RequestBudget. Once a limit trips, every further
// read fails, so httplib answers 400 (made 413 or 431 by the error handler) and the
// connection closes. Used by one connection thread only.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int fd, std::chrono::nanoseconds io_timeout, std::size_t max_body_bytes)
      : fd_(fd), io_timeout_ns_(io_timeout.count()), budget_(max_body_bytes) {}

  void begin_request(std::int64_t deadline_ns) {
    deadline_ns_ = deadline_ns;
    budget_.restart();
  }
  // For the stall fault: discards what the client sends until it closes the connection (or
  // the engine shuts it down) or `deadline_ns` passes.
  void wait_for_close(std::int64_t deadline_ns) {
    std::array<char, 512> discard{};
    while (wait_ready(fd_, POLLIN, deadline_ns)) {
      const ssize_t n = ::recv(fd_, discard.data(), discard.size(), 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return;
    }
  }

  const RequestBudget& budget() const { return budget_; }
  // After a limit, an I/O error or an error reply of httplib's own, the connection closes.
  bool must_close() const { return read_failed_ || write_failed_ || close_after_reply_; }
  void close_after_reply() { close_after_reply_ = true; }

  // Also waits for the first byte of the next request (or EOF), until the request's deadline.
  bool is_readable() const override { return pos_ < len_ || wait_ready(fd_, POLLIN, deadline_ns_); }
  bool is_writable() const override {
    return !write_failed_ && wait_ready(fd_, POLLOUT, steady_now_ns() + io_timeout_ns_);
  }

  ssize_t read(char* ptr, std::size_t size) override {
    if (read_failed_) return -1;
    if (pos_ == len_) {
      ssize_t n = -1;
      while (n < 0) {
        if (!wait_ready(fd_, POLLIN, deadline_ns_)) return fail_read();  // the request took too long
        n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return fail_read();
      }
      if (n == 0) return 0;
      pos_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    const std::size_t count = std::min(size, len_ - pos_);
    if (!budget_.account(buffer_.data() + pos_, count)) return fail_read();
    std::copy_n(buffer_.data() + pos_, count, ptr);
    pos_ += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (write_failed_) return -1;
    std::size_t sent = 0;
    while (sent < size) {
      const ssize_t n = ::send(fd_, ptr + sent, size - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        // A client that stops reading is cut off after the I/O timeout.
        if (!wait_ready(fd_, POLLOUT, steady_now_ns() + io_timeout_ns_)) return fail_write();
      } else {
        return fail_write();
      }
    }
    return static_cast<ssize_t>(size);
  }

  // httplib copies these into the request; the mock reads neither, so it spares the syscalls.
  void get_remote_ip_and_port(std::string&, int&) const override {}
  void get_local_ip_and_port(std::string&, int&) const override {}
  socket_t socket() const override { return fd_; }

 private:
  ssize_t fail_read() {
    read_failed_ = true;
    return -1;
  }
  ssize_t fail_write() {
    write_failed_ = true;
    return -1;
  }

  int fd_;
  std::int64_t io_timeout_ns_;
  RequestBudget budget_;
  std::int64_t deadline_ns_ = 0;
  bool read_failed_ = false, write_failed_ = false, close_after_reply_ = false;
  std::array<char, 4096> buffer_{};
  std::size_t pos_ = 0, len_ = 0;
};

// The stream of the connection this thread serves, for the error handler (which httplib
// calls with the request only). Each connection is served by one thread from start to end.
thread_local GuardedStream* t_current_stream = nullptr;
// Set while ElasticPool runs a connection it has no thread for: refuse it.
thread_local bool t_over_capacity = false;

// A thread pool that grows on demand up to `max_threads` (an idle mock holds no threads) and,
// when every thread is busy, runs the task on the caller (httplib's accept thread) with
// t_over_capacity set, so the connection is refused at once instead of waiting in an
// unbounded queue holding its descriptor.
class ElasticPool final : public httplib::TaskQueue {
 public:
  explicit ElasticPool(std::size_t max_threads) : max_threads_(max_threads) {}
  ~ElasticPool() override { shutdown(); }

  void enqueue(std::function<void()> task) override {
    std::unique_lock lock(mutex_);
    if (!stopping_ && idle_ > tasks_.size()) {
      tasks_.push_back(std::move(task));
      lock.unlock();
      wake_.notify_one();
      return;
    }
    if (!stopping_ && workers_.size() < max_threads_) {
      tasks_.push_back(std::move(task));
      workers_.emplace_back([this] { work(); });
      return;
    }
    lock.unlock();
    t_over_capacity = true;
    task();
    t_over_capacity = false;
  }

  void shutdown() override {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      --idle_;
      if (tasks_.empty()) return;  // stopping, nothing left to run
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();  // after stop() a connection task closes its socket at once
      lock.lock();
    }
  }

  const std::size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;  // touched by the accept thread and shutdown() only
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

// httplib::Server with its per-connection entry point replaced: httplib declares
// process_and_close_socket virtual and process_request protected for exactly this (its
// SSLServer does the same).
class GuardedServer final : public httplib::Server {
 public:
  GuardedServer(Provider& provider, std::chrono::nanoseconds idle_timeout, std::size_t max_body_bytes)
      : provider_(provider), idle_timeout_(idle_timeout), max_body_bytes_(max_body_bytes) {}

  // Shuts down every open connection (their threads then see EOF or a failed write) and
  // refuses new ones; httplib's own stop() only closes the listener.
  void close_connections() {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const int fd : open_) ::shutdown(fd, SHUT_RDWR);
  }

 private:
  bool process_and_close_socket(socket_t fd) override {
    if (t_over_capacity) {
      refuse(fd);
      return false;
    }
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) {
        ::close(fd);
        return false;
      }
      open_.insert(fd);
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    // Without it, a stream's first chunk waits behind the head for the client's delayed ACK
    // (Nagle): +20-40 ms of TTFT on every request (httplib's default leaves Nagle on).
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    GuardedStream stream(fd, idle_timeout_, max_body_bytes_);
    t_current_stream = &stream;
    bool ok = true;
    while (ok && svr_sock_ != INVALID_SOCKET) {
      // One deadline covers waiting for the request and receiving all of it: it bounds idle
      // keep-alive connections and slow-loris clients alike.
      stream.begin_request(steady_now_ns() + idle_timeout_.count());
      if (!stream.is_readable()) break;
      bool connection_closed = false;
      ok = process_request(stream, false, connection_closed, nullptr) && !connection_closed &&
           !stream.must_close();
    }
    t_current_stream = nullptr;
    {
      const std::lock_guard lock(mutex_);
      open_.erase(fd);
    }
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    return ok;
  }

  // Beyond `threads` connections: 503 with OpenAI's body, then close. The request is not
  // read, so a client may see the reset before the answer; either way it is not served.
  void refuse(int fd) {
    std::unique_ptr<Exchange> exchange = provider_.error_response(
        503, "The server has too many open connections; retry later.", "too_many_connections", steady_now_ns());
    exchange->begin(steady_now_ns());
    const std::string body = exchange->next_piece().bytes;
    const std::string reply = serialize_head(exchange->head(), static_cast<long long>(body.size()), false) + body;
    [[maybe_unused]] const ssize_t n = ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
  }

  Provider& provider_;
  const std::chrono::nanoseconds idle_timeout_;
  const std::size_t max_body_bytes_;
  std::mutex mutex_;
  std::unordered_set<int> open_;
  bool stopping_ = false;
};

class HttplibEngine final : public Engine {
 public:
  explicit HttplibEngine(Provider& provider)
      : provider_(provider),
        server_(provider, provider.config().idle_timeout, provider.config().max_body_bytes) {}
  ~HttplibEngine() override { stop(); }

  void start() override {
    const MockConfig& config = provider_.config();
    const std::size_t threads = pool_size(config);
    server_.new_task_queue = [threads] { return new ElasticPool(threads); };
    server_.set_socket_options([this](socket_t fd) {
      int yes = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listen_fd_ = fd;
    });
    const auto idle_s = std::max<time_t>(
        1, static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(config.idle_timeout).count()));
    // Only advertised in the Keep-Alive header; GuardedServer enforces the idle timeout itself.
    server_.set_keep_alive_max_count(1'000'000);
    server_.set_keep_alive_timeout(idle_s);
    server_.set_payload_max_length(config.max_body_bytes);
    // "Expect: 100-continue" (curl sends it for bodies over 1 MiB): a body over the limit gets
    // its 413 at once (through the error handler) instead of "100 Continue" and an upload.
    // httplib sends the final answer with res.status (not the handler's return value).
    server_.set_expect_100_continue_handler([max = config.max_body_bytes](const httplib::Request& req,
                                                                          httplib::Response& res) {
      const std::string length = req.get_header_value("Content-Length");
      const unsigned long long declared = length.empty() ? 0 : std::strtoull(length.c_str(), nullptr, 10);
      if (declared <= max) return 100;
      res.status = 413;
      return 413;
    });
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    server_.Get(".*", handler).Post(".*", handler).Put(".*", handler).Patch(".*", handler);
    server_.Delete(".*", handler).Options(".*", handler);
    // httplib answers some errors itself (413 body too large, 400 bad request line or headers,
    // 414) with an empty body: give them the OpenAI error body like every other error, and
    // close the connection after them (what follows on it cannot be trusted to be in sync).
    server_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      // Every request is read through a GuardedStream (process_and_close_socket).
      const RequestBudget& budget = t_current_stream->budget();
      ReadFailure failure = ReadFailure::malformed;
      if (res.status == 413 || budget.body_too_large()) {
        failure = ReadFailure::body_too_large;  // also a chunked body over the limit, which httplib reports as 400
      } else if (budget.head_too_large()) {
        failure = ReadFailure::head_too_large;
      }
      const auto exchange = read_failure_response(provider_, failure, req.method, req.path, steady_now_ns(), res.status);
      res.status = exchange->head().status;
      t_current_stream->close_after_reply();
      res.set_header("Connection", "close");
      exchange->begin(steady_now_ns());
      res.set_content(exchange->next_piece().bytes, "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }));

    errno = 0;
    const int port = config.port == 0 ? server_.bind_to_any_port(config.host)
                                      : (server_.bind_to_port(config.host, config.port) ? config.port : -1);
    if (port <= 0 || listen_fd_ < 0) {
      const int error = errno != 0 ? errno : EADDRNOTAVAIL;
      throw std::system_error(error, std::system_category(), "cannot listen on " + listen_address_text(config));
    }
    // Debian's build compiles the listen backlog as 5: bursts of connects overflow it and
    // stall on SYN retries for seconds. listen() again on the bound socket deepens it.
    ::listen(listen_fd_, 4096);
    port_ = static_cast<std::uint16_t>(port);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // httplib's stop() is a no-op until its loop runs, and 0.11.4 has no ready signal: wait
    // for it here so stop() can never miss it. The socket already accepts meanwhile.
    while (!server_.is_running()) std::this_thread::yield();
  }

  void stop() override {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
      server_.stop();
      server_.close_connections();
      thread_.join();
    }
  }

  std::uint16_t port() const override { return port_; }

 private:
  static std::size_t pool_size(const MockConfig& config) {
    if (config.threads != 0) return config.threads;
    if (config.decode_slots == 0) return 256;
    return std::clamp<std::size_t>(std::size_t{config.decode_slots} + config.max_waiting, 64, 8192);
  }

  // Sleeps until `due_ns` unless the engine stops first; false if stopping.
  bool wait_until(std::int64_t due_ns) {
    std::unique_lock lock(mutex_);
    wake_.wait_until(lock, steady_from_ns(due_ns), [this] { return stopping_; });
    return !stopping_;
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    auto find = [&req](const char* name) -> std::optional<std::string_view> {
      const auto it = req.headers.find(name);
      if (it == req.headers.end()) return std::nullopt;
      return it->second;
    };
    const IncomingRequest in{req.method, req.path, req.body, RequestHeaders::from(find)};
    std::shared_ptr<Exchange> exchange = provider_.handle(in, steady_now_ns());

    if (exchange->waiting_for_slot()) {
      auto granted = std::make_shared<bool>(false);
      exchange->set_slot_waker([this, granted] {
        {
          const std::lock_guard lock(mutex_);
          *granted = true;
        }
        wake_.notify_all();
      });
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return *granted || stopping_; });
      if (stopping_) return;
    }
    if (exchange->stalled()) {
      // Held until the client gives up (or stall_timeout, or stop), then the response is cut.
      t_current_stream->wait_for_close(steady_now_ns() + provider_.config().stall_timeout.count());
      res.set_chunked_content_provider("text/plain", [](std::size_t, httplib::DataSink&) { return false; });
      return;
    }
    exchange->begin(steady_now_ns());
    const ResponseHead& head = exchange->head();
    res.status = head.status;
    if (!head.chunked) {
      BodyPiece piece = exchange->next_piece();  // first: it completes the head's Server-Timing
      for (const auto& [name, value] : head.headers) res.set_header(name, value);
      if (!wait_until(piece.due_ns) || piece.then == BodyPiece::Then::drop) {
        res.set_chunked_content_provider(head.content_type, [](std::size_t, httplib::DataSink&) { return false; });
        return;
      }
      res.set_content(std::move(piece.bytes), head.content_type.c_str());
      return;
    }
    for (const auto& [name, value] : head.headers) res.set_header(name, value);
    res.set_chunked_content_provider(head.content_type, [this, exchange](std::size_t, httplib::DataSink& sink) {
      std::string out;
      for (BodyPacer body(*exchange); !body.done();) {
        if (!wait_until(body.due_ns())) return false;
        out.clear();
        const BodyPiece::Then then = body.take_due(steady_now_ns(), out, false);  // httplib frames the chunks
        if (!out.empty() && !sink.write(out.data(), out.size())) return false;
        if (then == BodyPiece::Then::drop) return false;
        if (then == BodyPiece::Then::end) {
          sink.done();
          return true;
        }
      }
      return false;
    });
  }

  Provider& provider_;
  GuardedServer server_;
  std::thread thread_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<Engine> make_httplib_engine(Provider& provider) { return std::make_unique<HttplibEngine>(provider); }

}  // namespace llmbench::mock
