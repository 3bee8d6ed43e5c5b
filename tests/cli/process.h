#pragma once

// Runs the llmbench binary as a child process with captured stdout/stderr, for end-to-end CLI
// tests. posix_spawn (not fork) because gtest may have threads; every wait has a deadline, and
// a child still running when its ChildProcess is destroyed is killed, so no test can hang or leak.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace llmbench::clitest {

struct ProcessResult {
  int exit_code = -1;   // -1 when killed by a signal
  int term_signal = 0;  // the signal that ended the child, 0 when it exited
  bool timed_out = false;
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;

  // `env` entries are added to (or replace) the parent's environment.
  explicit ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {}) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
      throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);

    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      const std::string name = entry.substr(0, entry.find('='));
      if (env.count(name) == 0) env_strings.push_back(entry);
    }
    for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (std::string& s : args) argp.push_back(s.data());
    argp.push_back(nullptr);

    const int rc = ::posix_spawn(&pid_, argp[0], &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
    if (rc != 0) {
      close_pipes();
      throw std::runtime_error("posix_spawn " + argv.at(0) + ": " + std::strerror(rc));
    }
  }

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  ~ChildProcess() {
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    close_pipes();
  }

  pid_t pid() const { return pid_; }
  const std::string& out() const { return result_.out; }
  const std::string& err() const { return result_.err; }

  void send_signal(int sig) { ::kill(pid_, sig); }

  // Reads output until `done(out, err)` holds, both pipes close, or the timeout passes.
  bool read_until(const std::function<bool(const std::string&, const std::string&)>& done,
                  std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!done(result_.out, result_.err)) {
      if (out_fd_ < 0 && err_fd_ < 0) return false;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pump(static_cast<int>(left.count()));
    }
    return true;
  }

  bool wait_for_stdout(const std::string& text, std::chrono::milliseconds timeout) {
    return read_until([&](const std::string& o, const std::string&) { return o.find(text) != std::string::npos; },
                      timeout);
  }
  bool wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout) {
    return read_until([&](const std::string&, const std::string& e) { return e.find(text) != std::string::npos; },
                      timeout);
  }

  // Drains the pipes and reaps the child; past the timeout it is killed and marked timed_out.
  ProcessResult wait(std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (out_fd_ >= 0 || err_fd_ >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        result_.timed_out = true;
        ::kill(pid_, SIGKILL);
        close_pipes();
        break;
      }
      pump(static_cast<int>(left.count()));
    }
    int status = 0;
    if (!reaped_) {
      // Pipes closed; the exit follows at once, but a grandchild holding the pipes must not block us.
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (Clock::now() > deadline) {
          result_.timed_out = true;
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        ::poll(nullptr, 0, 5);
      }
      reaped_ = true;
      if (WIFEXITED(status)) {
        result_.exit_code = WEXITSTATUS(status);
      } else if (WIFSIGNALED(status)) {
        result_.term_signal = WTERMSIG(status);
      }
    }
    return result_;
  }

 private:
  void pump(int timeout_ms) {
    pollfd fds[2];
    nfds_t n = 0;
    if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
    if (n == 0) return;
    const int ready = ::poll(fds, n, std::min(timeout_ms, 100));
    if (ready <= 0) return;
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      char buffer[8192];
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      const bool is_out = fds[i].fd == out_fd_;
      if (got > 0) {
        (is_out ? result_.out : result_.err).append(buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        int& fd = is_out ? out_fd_ : err_fd_;
        ::close(fd);
        fd = -1;
      }
    }
  }

  void close_pipes() {
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
    out_fd_ = err_fd_ = -1;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  ProcessResult result_;
};

// Runs to completion (bounded by `timeout`) and returns what the child printed and its exit code.
inline ProcessResult run_process(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env = {},
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  ChildProcess child(argv, env);
  return child.wait(timeout);
}

}  // namespace llmbench::clitest
