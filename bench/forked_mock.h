#pragma once

// The mock provider in a forked child process, so getrusage(RUSAGE_SELF) in the parent
// measures the harness's CPU alone. Fork before starting any thread in the parent.

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "mock_provider/mock_config.h"
#include "mock_provider/mock_server.h"

namespace llmbench::bench {

class ForkedMock {
 public:
  // Starts the mock (port 0, 127.0.0.1) in a child and waits until it accepts connections.
  // Throws std::runtime_error when the child cannot be started.
  explicit ForkedMock(mock::MockConfig config, mock::EngineKind engine = mock::EngineKind::asio) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("ForkedMock: pipe failed");
    child_ = fork();
    if (child_ < 0) {
      close(fds[0]);
      close(fds[1]);
      throw std::runtime_error("ForkedMock: fork failed");
    }
    if (child_ == 0) serve(std::move(config), engine, fds);  // never returns
    close(fds[1]);
    const bool got_port = read(fds[0], &port_, sizeof port_) == static_cast<ssize_t>(sizeof port_);
    close(fds[0]);
    if (!got_port) {
      stop();
      throw std::runtime_error("ForkedMock: the mock did not start");
    }
  }
  ~ForkedMock() { stop(); }
  ForkedMock(const ForkedMock&) = delete;
  ForkedMock& operator=(const ForkedMock&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const noexcept { return child_; }

  void stop() noexcept {
    if (child_ <= 0) return;
    kill(child_, SIGTERM);
    waitpid(child_, nullptr, 0);
    child_ = -1;
  }

 private:
  [[noreturn]] static void serve(mock::MockConfig config, mock::EngineKind engine, int fds[2]) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed parent
    close(fds[0]);
    try {
      config.host = "127.0.0.1";
      config.port = 0;
      mock::MockServer server(std::move(config), engine);
      server.start();
      const std::uint16_t port = server.port();
      if (write(fds[1], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) _exit(1);
      close(fds[1]);
      pause();  // until the parent's SIGTERM
    } catch (...) {
      _exit(1);
    }
    _exit(0);
  }

  pid_t child_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace llmbench::bench
