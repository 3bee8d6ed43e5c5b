#include "harness/client/socket_set.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <memory>
#include <system_error>

namespace llmbench::harness {

namespace {

std::uint32_t to_epoll(int directions) {
  return ((directions & SocketSet::kRead) != 0 ? EPOLLIN : 0u) |
         ((directions & SocketSet::kWrite) != 0 ? EPOLLOUT : 0u);
}

// A hang-up makes every direction "ready" (the next read or write returns it), so a socket
// that only waits to write still hears of it instead of being reported again and again.
int from_epoll(std::uint32_t events) {
  const bool hangup = (events & EPOLLHUP) != 0;
  return ((events & (EPOLLIN | EPOLLRDHUP)) != 0 || hangup ? SocketSet::kRead : 0) |
         ((events & EPOLLOUT) != 0 || hangup ? SocketSet::kWrite : 0) |
         ((events & EPOLLERR) != 0 ? SocketSet::kError : 0);
}

std::uint64_t pack(int socket, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | static_cast<std::uint32_t>(socket);
}

int open_epoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}

}  // namespace

SocketSet::SocketSet(boost::asio::io_context& io, std::function<bool(int, int)> on_ready,
                     std::function<void()> on_batch_end)
    : set_(io), on_ready_(std::move(on_ready)), on_batch_end_(std::move(on_batch_end)) {
  const int fd = open_epoll();
  boost::system::error_code ec;
  set_.assign(fd, ec);
  if (ec) {
    ::close(fd);
    throw std::system_error(ec, "registering an epoll set with the io_context");
  }
}

SocketSet::~SocketSet() {
  alive_.reset();  // a completion already queued must not touch this object
  boost::system::error_code ignored;
  set_.close(ignored);
}

bool SocketSet::watch(int socket, int directions) {
  directions &= kRead | kWrite;
  auto [found, inserted] = sockets_.try_emplace(socket);
  Entry& entry = found->second;
  if (inserted) entry.generation = ++next_generation_;
  // Parking leaves the kernel's registration as it is: a kept-alive connection is parked and
  // wanted again for every request, and a DEL + ADD per request cost 8 % of the client's CPU in
  // a non-streaming benchmark. A parked socket that reports anything is taken out then.
  if (directions != 0 && directions != entry.in_kernel && !register_in_kernel(socket, entry, directions)) {
    set_directions(entry, 0);
    sockets_.erase(found);
    return false;
  }
  set_directions(entry, directions);
  if (directions != 0) arm();
  return true;
}

bool SocketSet::register_in_kernel(int socket, Entry& entry, int directions) {
  const int epfd = set_.native_handle();
  epoll_event event{};
  event.events = to_epoll(directions);
  event.data.u64 = pack(socket, entry.generation);
  int op = entry.in_kernel != kNotInKernel ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if (::epoll_ctl(epfd, op, socket, &event) != 0) {
    // The number may name a socket closed and reopened behind our back (the kernel dropped the
    // old one from the set), or one still in the set: try the other operation once.
    if (errno != ENOENT && errno != EEXIST) return false;
    op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (::epoll_ctl(epfd, op, socket, &event) != 0) return false;
  }
  entry.in_kernel = directions;
  return true;
}

void SocketSet::remove_from_kernel(int socket, Entry& entry) noexcept {
  if (entry.in_kernel != kNotInKernel) ::epoll_ctl(set_.native_handle(), EPOLL_CTL_DEL, socket, nullptr);
  entry.in_kernel = kNotInKernel;
}

void SocketSet::set_directions(Entry& entry, int directions) noexcept {
  wanted_ += (directions != 0 ? 1 : 0) - (entry.directions != 0 ? 1 : 0);
  entry.directions = directions;
}

void SocketSet::unwatch(int socket) noexcept {
  const auto found = sockets_.find(socket);
  if (found == sockets_.end()) return;
  remove_from_kernel(socket, found->second);
  set_directions(found->second, 0);
  sockets_.erase(found);
}

void SocketSet::arm() {
  if (waiting_ || in_batch_ || !set_.is_open()) return;
  waiting_ = true;
  set_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                  [this, alive = std::weak_ptr<const bool>(alive_)](boost::system::error_code ec) {
                    if (alive.expired()) return;
                    waiting_ = false;
                    if (ec) return;  // closed (cancellation) or a broken set: nothing to wait on
                    const int count = ::epoll_wait(set_.native_handle(), events_.data(), kBatch, 0);
                    batch_size_ = count > 0 ? static_cast<std::size_t>(count) : 0;
                    next_event_ = 0;
                    in_batch_ = true;
                    dispatch();
                  });
}

// Hands the batch's events over from next_event_ on. When a callback asks to yield (it made
// work for the io_context, e.g. resumed a coroutine whose next request should leave now, not
// after the whole batch), the rest of the batch continues in a handler posted behind that work.
void SocketSet::dispatch() {
  const std::weak_ptr<const bool> alive = alive_;
  while (next_event_ < batch_size_) {
    const epoll_event& event = events_[next_event_++];
    const int socket = static_cast<int>(static_cast<std::uint32_t>(event.data.u64));
    const auto generation = static_cast<std::uint32_t>(event.data.u64 >> 32);
    const auto found = sockets_.find(socket);
    // Unwatched or replaced by an earlier callback of this batch: stale news.
    if (found == sockets_.end() || found->second.generation != generation) continue;
    if (found->second.directions == 0) {
      // Parked (e.g. the server closed an idle kept-alive connection): level-triggered, it would
      // be reported on every wake-up. Its owner finds out when it next uses the socket.
      remove_from_kernel(socket, found->second);
      continue;
    }
    const int ready = from_epoll(event.events) & (found->second.directions | kError);
    if (ready == 0 || !on_ready_(socket, ready)) continue;
    if (alive.expired()) return;  // a callback destroyed the set's owner
    if (next_event_ < batch_size_) {
      boost::asio::post(set_.get_executor(), [this, alive] {
        if (!alive.expired()) dispatch();
      });
      return;
    }
  }
  in_batch_ = false;
  if (batch_size_ > 0) on_batch_end_();
  if (alive.expired()) return;
  // Level-triggered: anything still ready (or beyond this batch) wakes the next wait at once.
  if (wanted_ > 0) arm();
}

}  // namespace llmbench::harness
