// Engine "httplib": Debian's cpp-httplib 0.11.4, one pool thread per connection for the
// connection's whole keep-alive life. Kept as the classic thread-per-connection baseline;
// docs/mock.md records where it stops keeping time.
#include <httplib.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "common/clock.h"
#include "mock_provider/engine.h"

namespace llmbench::mock {

namespace {

class HttplibEngine final : public Engine {
 public:
  explicit HttplibEngine(Provider& provider) : provider_(provider) {}
  ~HttplibEngine() override { stop(); }

  void start() override {
    const MockConfig& config = provider_.config();
    const std::size_t threads = pool_size(config);
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_socket_options([this](socket_t fd) {
      int yes = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listen_fd_ = fd;
    });
    const auto idle_s = std::max<time_t>(
        1, static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(config.idle_timeout).count()));
    server_.set_keep_alive_max_count(1'000'000);
    server_.set_keep_alive_timeout(idle_s);
    server_.set_read_timeout(idle_s, 0);
    server_.set_write_timeout(idle_s, 0);
    server_.set_payload_max_length(config.max_body_bytes);
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    for (const char* pattern : {".*"}) {
      server_.Get(pattern, handler);
      server_.Post(pattern, handler);
      server_.Put(pattern, handler);
      server_.Patch(pattern, handler);
      server_.Delete(pattern, handler);
      server_.Options(pattern, handler);
    }
    // httplib answers some errors itself (413 body too large, 400 bad request line) with an
    // empty body: give them the OpenAI error body like every other error.
    server_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      std::unique_ptr<Exchange> exchange;
      if (res.status == 413) {
        IncomingRequest in;
        in.method = req.method;
        in.target = req.path;
        in.body_too_large = true;
        exchange = provider_.handle(in, steady_now_ns());
      } else {
        exchange = provider_.error_response(res.status, "Malformed HTTP request.", "malformed_request", steady_now_ns());
      }
      exchange->begin(steady_now_ns());
      res.set_content(exchange->next_piece().bytes, "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }));

    const int port = config.port == 0 ? server_.bind_to_any_port(config.host)
                                      : (server_.bind_to_port(config.host, config.port) ? config.port : -1);
    if (port <= 0 || listen_fd_ < 0) {
      throw std::system_error(errno, std::generic_category(),
                              "cannot listen on " + config.host + ":" + std::to_string(config.port));
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
      shutdown_accepted_connections();
      thread_.join();
    }
  }

  std::uint16_t port() const override { return port_; }

 private:
  // httplib 0.11.4 waits for an idle keep-alive connection's next request for the whole
  // keep-alive timeout without looking at stop(), and stop() joins those threads: a client
  // holding an idle connection would delay shutdown by up to idle_timeout. httplib exposes no
  // connection list, so shut down every socket of this process whose local port is ours
  // (the listener is already closed); each waiting thread then reads EOF and returns.
  void shutdown_accepted_connections() const {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
      int fd = -1;
      const std::string name = entry.path().filename().string();
      if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc()) continue;
      sockaddr_storage local{};
      socklen_t length = sizeof(local);
      if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) continue;
      std::uint16_t local_port = 0;
      if (local.ss_family == AF_INET) {
        local_port = ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
      } else if (local.ss_family == AF_INET6) {
        local_port = ntohs(reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
      }
      if (local_port == port_) ::shutdown(fd, SHUT_RDWR);
    }
  }

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
    std::optional<std::string> authorization, ttft, itl, tokens, fault;
    auto read = [&](const char* name, std::optional<std::string>& out) {
      if (req.has_header(name)) out = req.get_header_value(name);
    };
    read("Authorization", authorization);
    read("x-mock-ttft-ms", ttft);
    read("x-mock-itl-ms", itl);
    read("x-mock-output-tokens", tokens);
    read("x-mock-fault", fault);
    IncomingRequest in;
    in.method = req.method;
    in.target = req.path;
    in.body = req.body;
    auto view = [](const std::optional<std::string>& s) {
      return s ? std::optional<std::string_view>(*s) : std::nullopt;
    };
    in.headers = {view(authorization), view(ttft), view(itl), view(tokens), view(fault)};
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
      // cpp-httplib gives a handler no socket, so a stall cannot notice the client leaving:
      // it holds this thread until stall_timeout (or stop), then cuts the response.
      wait_until(steady_now_ns() + provider_.config().stall_timeout.count());
      res.set_chunked_content_provider("text/plain", [](std::size_t, httplib::DataSink&) { return false; });
      return;
    }
    exchange->begin(steady_now_ns());
    const ResponseHead& head = exchange->head();
    res.status = head.status;
    for (const auto& [name, value] : head.headers) res.set_header(name, value);
    if (!head.chunked) {
      BodyPiece piece = exchange->next_piece();
      if (!wait_until(piece.due_ns) || piece.then == BodyPiece::Then::drop) {
        res.set_chunked_content_provider(head.content_type, [](std::size_t, httplib::DataSink&) { return false; });
        return;
      }
      res.set_content(std::move(piece.bytes), head.content_type.c_str());
      return;
    }
    res.set_chunked_content_provider(head.content_type, [this, exchange](std::size_t, httplib::DataSink& sink) {
      std::optional<BodyPiece> pending = exchange->next_piece();
      std::string out;
      while (pending) {
        if (!wait_until(pending->due_ns)) return false;
        out.clear();
        BodyPiece::Then then = BodyPiece::Then::more;
        const std::int64_t now = steady_now_ns();
        while (pending && pending->due_ns <= now) {
          out += pending->bytes;
          then = pending->then;
          pending.reset();
          if (then == BodyPiece::Then::more) pending = exchange->next_piece();
        }
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
  httplib::Server server_;
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
