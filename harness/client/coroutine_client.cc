#include "harness/client/coroutine_client.h"

#include <curl/curl.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <random>
#include <stdexcept>
#include <unordered_set>

#include "common/clock.h"
#include "harness/client/attempt_loop.h"
#include "harness/client/client_context.h"
#include "harness/client/socket_set.h"
#include "harness/client/transfer.h"

namespace llmbench::harness {

namespace asio = boost::asio;
using Timer = asio::steady_timer;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {

// A timer used as a one-shot signal: wait() suspends until notify() (or a deadline).
void arm_forever(Timer& timer) { timer.expires_at(Timer::time_point::max()); }

}  // namespace

// One request in flight (or backing off) on this client. Shared so that timer handlers that
// are already queued when the request ends still find it alive.
struct ActiveRequest {
  ActiveRequest(asio::io_context& io, const ClientContext& context, ChunkDecoder& decoder,
                const ChatRequest& request, const SendSpec& spec)
      : transfer(context, decoder, request, spec),
        done(io),
        first_token_timer(io) {}

  Transfer transfer;
  CURL* easy = nullptr;  // non-null while added to the multi handle
  CURLcode result = CURLE_OK;
  bool finished = true;  // the current attempt is over (or none is running)
  Timer done;            // cancelled to resume the waiting coroutine
  Timer first_token_timer;
};

class CoroutineClient::Impl {
 public:
  Impl(asio::io_context& io, const Endpoint& endpoint)
      : io_(io),
        context_(endpoint),
        timer_(io),
        sockets_(
            io, [this](int socket, int directions) { return on_ready(socket, directions); },
            [this] { drain_messages(); }),
        rng_(std::random_device{}()) {
    multi_ = curl_multi_init();
    if (multi_ == nullptr) throw std::runtime_error("libcurl: cannot create a multi handle");
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
    arm_forever(timer_);
    // Keep every kept-alive connection of a large closed loop, not 4x the handles added.
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 20000L);
  }

  ~Impl() {
    for (ActiveRequest* request : std::unordered_set<ActiveRequest*>(active_)) {
      if (request->easy != nullptr) curl_multi_remove_handle(multi_, request->easy);
      release_easy(request->easy);
      request->easy = nullptr;
    }
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, nullptr);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, nullptr);
    curl_multi_cleanup(multi_);
    for (CURL* easy : idle_easy_) curl_easy_cleanup(easy);
  }

  // One request's waits for run_attempts: on this loop. Tracked in active_ (for cancel_all)
  // for as long as the coroutine frame holds it, however the coroutine ends.
  struct Attempts {
    Attempts(Impl* client, std::shared_ptr<ActiveRequest> request) : impl(client), active(std::move(request)) {
      impl->active_.insert(active.get());
    }
    Attempts(Attempts&& other) noexcept = default;
    ~Attempts() {
      if (active) impl->active_.erase(active.get());
    }
    Transfer& transfer() { return active->transfer; }
    bool cancelled() const { return impl->cancelled_.load(std::memory_order_acquire); }
    double jitter() { return impl->jitter_(impl->rng_); }
    // abort() of a request with no attempt running wakes it: cancel_all(), an abandoned TokenStream.
    asio::awaitable<bool> wait_until(std::int64_t deadline_ns) {
      active->done.expires_at(steady_from_ns(deadline_ns));
      const auto [ec] = co_await active->done.async_wait(kNoThrow);
      co_return !ec && !cancelled();
    }
    asio::awaitable<void> attempt() {
      arm_forever(active->done);
      impl->start_attempt(active);
      if (!active->finished) co_await active->done.async_wait(kNoThrow);  // it may fail at once
      active->first_token_timer.cancel();
      active->transfer.finish_attempt(active->easy, active->result, steady_now_ns());
      impl->release_easy(std::exchange(active->easy, nullptr));
    }

    Impl* impl;
    std::shared_ptr<ActiveRequest> active;
  };

  asio::awaitable<InvokeResult> run(const ChatRequest& request, const SendSpec& spec,
                                    std::weak_ptr<ActiveRequest>* track = nullptr) {
    auto active = std::make_shared<ActiveRequest>(io_, context_, decoder_, request, spec);
    if (track != nullptr) *track = active;
    return run_attempts(Attempts(this, std::move(active)), spec.intended_start_ns);
  }

  // Ends one request's running attempt from outside curl (never from inside a curl callback).
  void abort(ActiveRequest& request, ErrorKind kind, std::string message) {
    if (request.finished) {
      request.done.cancel();  // backing off: wake it; the coroutine sees cancelled_
      return;
    }
    request.transfer.abort_attempt(kind, std::move(message));
    curl_multi_remove_handle(multi_, request.easy);
    request.result = kind == ErrorKind::timeout ? CURLE_OPERATION_TIMEDOUT : CURLE_ABORTED_BY_CALLBACK;
    request.finished = true;
    request.done.cancel();
  }

  void cancel_all() noexcept {
    cancelled_.store(true, std::memory_order_release);
    try {
      asio::post(io_, [this] {
        for (ActiveRequest* request : std::unordered_set<ActiveRequest*>(active_)) {
          abort(*request, ErrorKind::cancelled, "cancelled while in flight");
        }
      });
    } catch (...) {
      // Allocation failure: the sticky flag still stops every request at its next step.
    }
  }
  void reset_cancel() noexcept { cancelled_.store(false, std::memory_order_release); }
  std::size_t in_flight() const noexcept { return active_.size(); }
  asio::io_context& context() noexcept { return io_; }

 private:
  void start_attempt(const std::shared_ptr<ActiveRequest>& active) {
    active->easy = acquire_easy();
    active->transfer.prepare_attempt(active->easy);
    curl_easy_setopt(active->easy, CURLOPT_PRIVATE, active.get());
    curl_easy_setopt(active->easy, CURLOPT_OPENSOCKETFUNCTION, &Impl::on_open_socket);
    curl_easy_setopt(active->easy, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(active->easy, CURLOPT_CLOSESOCKETFUNCTION, &Impl::on_close_socket);
    curl_easy_setopt(active->easy, CURLOPT_CLOSESOCKETDATA, this);
    active->result = CURLE_OK;
    active->finished = false;
    if (curl_multi_add_handle(multi_, active->easy) != CURLM_OK) {
      throw std::runtime_error("curl_multi_add_handle failed");
    }
    if (const std::int64_t deadline = active->transfer.first_token_deadline_ns(); deadline != 0) {
      active->first_token_timer.expires_at(steady_from_ns(deadline));
      active->first_token_timer.async_wait(
          [this, weak = std::weak_ptr(active)](boost::system::error_code ec) {
            const auto request = weak.lock();
            if (ec || !request || request->finished) return;
            if (request->transfer.first_token_deadline_ns() == 0) return;  // the token made it
            abort(*request, ErrorKind::timeout, "first-token timeout: no content token in time");
          });
    }
  }

  CURL* acquire_easy() {
    if (!idle_easy_.empty()) {
      CURL* easy = idle_easy_.back();
      idle_easy_.pop_back();
      return easy;
    }
    CURL* easy = curl_easy_init();
    if (easy == nullptr) throw std::runtime_error("libcurl: cannot create an easy handle");
    return easy;
  }

  void release_easy(CURL* easy) {
    if (easy == nullptr) return;
    try {
      idle_easy_.push_back(easy);
    } catch (...) {
      curl_easy_cleanup(easy);
    }
  }

  // --- libcurl's multi socket interface, as in curl's docs/examples/multi-uv.c ---

  void socket_action(curl_socket_t socket, int events) {
    int running = 0;
    curl_multi_socket_action(multi_, socket, events, &running);
    drain_messages();
  }

  // Every finished transfer: take it out of the multi handle and resume its coroutine.
  std::size_t drain_messages() {
    std::size_t finished = 0;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode result = message->data.result;
      void* request_ptr = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &request_ptr);
      curl_multi_remove_handle(multi_, easy);
      auto* request = static_cast<ActiveRequest*>(request_ptr);
      if (request == nullptr) continue;
      request->result = result;
      request->finished = true;
      request->done.cancel();
      ++finished;
    }
    return finished;
  }

  static int on_socket(CURL* /*easy*/, curl_socket_t socket, int what, void* self,
                       void* /*socket_ptr*/) noexcept {
    try {
      return static_cast<Impl*>(self)->handle_socket(socket, what) ? 0 : -1;
    } catch (...) {
      return -1;  // curl fails the transfers on this socket; never throw through C
    }
  }

  // A connection socket (one curl opened through our OPENSOCKETFUNCTION) stays known to the
  // socket set from open to close, across the CURL_POLL_REMOVE / re-add curl does around
  // every request on a kept-alive connection; other sockets (e.g. the threaded resolver's
  // socketpair) are forgotten at CURL_POLL_REMOVE.
  bool handle_socket(curl_socket_t socket, int what) {
    if (what == CURL_POLL_REMOVE) {
      if (opened_.contains(socket)) return sockets_.watch(socket, 0);
      sockets_.unwatch(socket);
      return true;
    }
    const int directions = ((what & CURL_POLL_IN) != 0 ? SocketSet::kRead : 0) |
                           ((what & CURL_POLL_OUT) != 0 ? SocketSet::kWrite : 0);
    return sockets_.watch(socket, directions);
  }

  // True when a transfer finished: its coroutine then runs (and sends its next request, which
  // the next socket_action starts) before the rest of the batch, so this loop and the server
  // work in parallel instead of taking turns over whole batches.
  bool on_ready(int socket, int directions) {
    const int events = ((directions & SocketSet::kRead) != 0 ? CURL_CSELECT_IN : 0) |
                       ((directions & SocketSet::kWrite) != 0 ? CURL_CSELECT_OUT : 0) |
                       ((directions & SocketSet::kError) != 0 ? CURL_CSELECT_ERR : 0);
    int running = 0;
    curl_multi_socket_action(multi_, socket, events, &running);
    return drain_messages() > 0;
  }

  static curl_socket_t on_open_socket(void* self, curlsocktype purpose, curl_sockaddr* address) noexcept {
    const curl_socket_t socket = ::socket(address->family, address->socktype, address->protocol);
    if (socket == CURL_SOCKET_BAD || purpose != CURLSOCKTYPE_IPCXN) return socket;
    try {
      static_cast<Impl*>(self)->opened_.insert(socket);
    } catch (...) {
      // Not tracked: it is then handled like any other socket (forgotten at every REMOVE).
    }
    return socket;
  }

  static int on_close_socket(void* self, curl_socket_t socket) noexcept {
    auto* impl = static_cast<Impl*>(self);
    impl->sockets_.unwatch(socket);
    impl->opened_.erase(socket);
    return ::close(socket) == 0 ? 0 : 1;
  }

  static int on_timer(CURLM* /*multi*/, long timeout_ms, void* self) noexcept {
    try {
      static_cast<Impl*>(self)->handle_timer(timeout_ms);
      return 0;
    } catch (...) {
      return -1;
    }
  }

  // curl moves its deadline on nearly every socket_action; re-arming an Asio timer each time
  // rewrites the reactor's timerfd whenever ours is the earliest timer. So: 0 ms ("now, but
  // not from inside this callback") is a post, a later deadline is only noted (the pending
  // wait re-arms itself when it fires early), and only an earlier one re-arms the timer.
  void handle_timer(long timeout_ms) {
    ++timer_generation_;
    if (timeout_ms < 0) {
      timer_deadline_ = Timer::time_point::max();
      if (timer_armed_) {
        timer_armed_ = false;
        timer_.cancel();  // lets the io_context run dry when curl has nothing left
      }
      return;
    }
    if (timeout_ms == 0) {
      timer_deadline_ = Timer::time_point::max();
      asio::post(io_, [this, alive = std::weak_ptr<const bool>(alive_), generation = timer_generation_] {
        if (!alive.expired() && generation == timer_generation_) socket_action(CURL_SOCKET_TIMEOUT, 0);
      });
      return;
    }
    timer_deadline_ = Timer::clock_type::now() + std::chrono::milliseconds(timeout_ms);
    if (!timer_armed_ || timer_.expiry() > timer_deadline_) arm_timer(timer_deadline_);
  }

  void arm_timer(Timer::time_point when) {
    timer_armed_ = true;
    timer_.expires_at(when);
    timer_.async_wait([this, arm = ++timer_arms_](boost::system::error_code ec) {
      if (ec || arm != timer_arms_) return;  // replaced, cancelled or client destroyed
      timer_armed_ = false;
      if (timer_deadline_ == Timer::time_point::max()) return;  // curl withdrew it meanwhile
      if (Timer::clock_type::now() < timer_deadline_) {
        arm_timer(timer_deadline_);  // curl moved it later while we waited
        return;
      }
      timer_deadline_ = Timer::time_point::max();
      socket_action(CURL_SOCKET_TIMEOUT, 0);
    });
  }

  asio::io_context& io_;
  ClientContext context_;
  ChunkDecoder decoder_;  // shared by every transfer on this loop: callbacks run one at a time
  CURLM* multi_ = nullptr;
  Timer timer_;
  Timer::time_point timer_deadline_ = Timer::time_point::max();  // curl's, max: none
  bool timer_armed_ = false;
  std::uint64_t timer_arms_ = 0;        // identifies the wait in flight
  std::uint64_t timer_generation_ = 0;  // identifies curl's latest timer request
  std::unordered_set<curl_socket_t> opened_;  // connection sockets curl opened through us
  // Expires with the client: a posted curl timeout that outlives it does nothing.
  std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);
  SocketSet sockets_;  // after everything its callbacks use
  std::unordered_set<ActiveRequest*> active_;
  std::vector<CURL*> idle_easy_;
  std::atomic<bool> cancelled_{false};
  std::minstd_rand rng_;
  std::uniform_real_distribution<double> jitter_{0.0, 1.0};

  friend class llmbench::harness::TokenStream;
  friend class llmbench::harness::CoroutineClient;
};

// --- TokenStream ---

struct TokenStream::State : StreamObserver {
  State(CoroutineClient::Impl& client_impl, ChatRequest chat_request)
      : impl(&client_impl), request(std::move(chat_request)), signal(client_impl.context()) {}

  void on_token(std::string_view content, std::int64_t) override {
    if (abandoned) return;
    tokens.emplace_back(content);
    signal.cancel();
  }

  CoroutineClient::Impl* impl;
  ChatRequest request;
  std::deque<std::string> tokens;
  bool started = false;
  bool finished = false;
  bool abandoned = false;
  RequestRecord record;
  Timer signal;
  std::weak_ptr<ActiveRequest> active;
};

TokenStream::TokenStream(std::shared_ptr<State> state) : state_(std::move(state)) {}
TokenStream::TokenStream(TokenStream&&) noexcept = default;
TokenStream& TokenStream::operator=(TokenStream&&) noexcept = default;

TokenStream::~TokenStream() {
  if (!state_ || !state_->started || state_->finished) return;
  state_->abandoned = true;
  if (const auto active = state_->active.lock()) {
    state_->impl->abort(*active, ErrorKind::cancelled, "token stream abandoned");
  }
}

asio::awaitable<std::optional<std::string>> TokenStream::next() {
  const std::shared_ptr<State> state = state_;
  if (!state->started) {
    state->started = true;
    asio::co_spawn(
        state->impl->context(),
        [state]() -> asio::awaitable<void> {
          InvokeResult result =
              co_await state->impl->run(state->request, SendSpec{.stream = true, .observer = state.get()}, &state->active);
          state->record = std::move(result.record);
          state->finished = true;
          state->signal.cancel();
        },
        asio::detached);
  }
  while (state->tokens.empty() && !state->finished) {
    arm_forever(state->signal);
    co_await state->signal.async_wait(kNoThrow);
  }
  if (state->tokens.empty()) co_return std::nullopt;
  std::string token = std::move(state->tokens.front());
  state->tokens.pop_front();
  co_return token;
}

const RequestRecord& TokenStream::record() const { return state_->record; }

// --- CoroutineClient ---

CoroutineClient::CoroutineClient(asio::io_context& io, const Endpoint& endpoint)
    : impl_(std::make_unique<Impl>(io, endpoint)) {}
CoroutineClient::~CoroutineClient() = default;

// Not coroutines themselves: handing out run_attempts' awaitable saves a frame per request.
asio::awaitable<InvokeResult> CoroutineClient::send(const ChatRequest& request, SendSpec spec) {
  return impl_->run(request, spec);
}

TokenStream CoroutineClient::astream_tokens(ChatRequest request) {
  return TokenStream(std::make_shared<TokenStream::State>(*impl_, std::move(request)));
}

void CoroutineClient::cancel_all() noexcept { impl_->cancel_all(); }
void CoroutineClient::reset_cancel() noexcept { impl_->reset_cancel(); }
std::size_t CoroutineClient::in_flight() const noexcept { return impl_->in_flight(); }
asio::io_context& CoroutineClient::context() noexcept { return impl_->context(); }

}  // namespace llmbench::harness
