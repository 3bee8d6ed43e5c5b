#pragma once

// A raw client socket for hostile-client tests: sends arbitrary bytes and watches for the
// server's answer or close, every wait bounded by a deadline (poll(2), no sleeps).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace llmbench::mock::testing {

class RawConnection {
 public:
  // Connects (blocking, then switches to non-blocking); is_open() false if that failed.
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& other) noexcept : fd_(other.fd_), received_(std::move(other.received_)) {
    other.fd_ = -1;
  }

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::string& received() const { return received_; }
  bool closed_by_peer() const { return closed_; }

  // Sends as much of `bytes` as the server accepts before `timeout`, reading whatever it
  // answers meanwhile. Returns the number of bytes sent; stops early once the server closes.
  std::size_t send(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const std::int64_t deadline = steady_now_ns() + std::chrono::nanoseconds(timeout).count();
    std::size_t sent = 0;
    while (sent < bytes.size() && !closed_) {
      pollfd p{fd_, POLLOUT | POLLIN, 0};
      if (!poll_until(p, deadline)) break;
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) drain();
      if (closed_) break;
      if (p.revents & POLLOUT) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
          sent += static_cast<std::size_t>(n);
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          closed_ = true;  // EPIPE / ECONNRESET: the server hung up
        }
      }
    }
    return sent;
  }

  // Half-closes: the server reads EOF after what was sent.
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // Reads until the server closes the connection or `timeout` passes; true if it closed.
  bool wait_closed(std::chrono::milliseconds timeout) {
    const std::int64_t deadline = steady_now_ns() + std::chrono::nanoseconds(timeout).count();
    while (!closed_) {
      pollfd p{fd_, POLLIN, 0};
      if (!poll_until(p, deadline)) return false;
      drain();
    }
    return true;
  }

  // Waits until `pattern` was received (true), or the server closed or timeout passed.
  bool wait_for(std::string_view pattern, std::chrono::milliseconds timeout) {
    const std::int64_t deadline = steady_now_ns() + std::chrono::nanoseconds(timeout).count();
    while (received_.find(pattern) == std::string::npos && !closed_) {
      pollfd p{fd_, POLLIN, 0};
      if (!poll_until(p, deadline)) break;
      drain();
    }
    return received_.find(pattern) != std::string::npos;
  }

 private:
  static bool poll_until(pollfd& p, std::int64_t deadline_ns) {
    for (;;) {
      const std::int64_t left = deadline_ns - steady_now_ns();
      if (left <= 0) return false;
      const int n = ::poll(&p, 1, static_cast<int>((left + 999'999) / 1'000'000));
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
  }

  void drain() {
    char buffer[16 * 1024];
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n > 0) {
        received_.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        closed_ = true;  // EOF or reset
        return;
      } else {
        return;
      }
    }
  }

  int fd_;
  std::string received_;
  bool closed_ = false;
};

// This process's resident set in KiB (VmRSS of /proc/self/status); 0 if unreadable.
inline std::int64_t resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

}  // namespace llmbench::mock::testing
