#include "harness/client/socket_set.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace llmbench::harness {
namespace {

namespace asio = boost::asio;

// A connected pair of stream sockets, closed at the end of the test.
struct Pair {
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0); }
  ~Pair() {
    for (int& fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  void close_peer() {
    ::close(fds[1]);
    fds[1] = -1;
  }
  int fds[2] = {-1, -1};
  int mine() const { return fds[0]; }
  int peer() const { return fds[1]; }
};

void send_byte(int fd) { ASSERT_EQ(::write(fd, "x", 1), 1); }
void drain(int fd) {
  char buffer[64];
  while (::read(fd, buffer, sizeof buffer) > 0) {
  }
}

struct Recorder {
  std::vector<std::pair<int, int>> ready;  // (socket, directions)
  int batches = 0;
};

TEST(SocketSet, ReportsReadableSocketsAndEndsEachBatch) {
  asio::io_context io;
  Recorder seen;
  Pair a, b;
  SocketSet set(
      io,
      [&](int socket, int directions) {
        seen.ready.emplace_back(socket, directions);
        drain(socket);
        return false;
      },
      [&] { ++seen.batches; });
  ASSERT_TRUE(set.watch(a.mine(), SocketSet::kRead));
  ASSERT_TRUE(set.watch(b.mine(), SocketSet::kRead));
  send_byte(a.peer());
  send_byte(b.peer());
  io.run_one();  // the wake-up of the set: one batch with both sockets
  ASSERT_EQ(seen.ready.size(), 2u);
  EXPECT_EQ(seen.batches, 1);
  for (const auto& [socket, directions] : seen.ready) {
    EXPECT_TRUE(socket == a.mine() || socket == b.mine());
    EXPECT_EQ(directions, SocketSet::kRead);
  }
}

TEST(SocketSet, LevelTriggeredUntilTheOwnerReads) {
  asio::io_context io;
  Pair a;
  int reports = 0;
  SocketSet set(
      io,
      [&](int, int) {
        ++reports;
        return false;
      },
      [] {});
  ASSERT_TRUE(set.watch(a.mine(), SocketSet::kRead));
  send_byte(a.peer());
  io.run_one();
  io.run_one();
  EXPECT_EQ(reports, 2);  // not read: reported again
  drain(a.mine());
  io.poll();
  EXPECT_EQ(reports, 2);
}

TEST(SocketSet, ParkedSocketsReportNothingNotEvenAHangUp) {
  asio::io_context io;
  Pair a;
  int reports = 0;
  SocketSet set(
      io,
      [&](int, int) {
        ++reports;
        return false;
      },
      [] {});
  ASSERT_TRUE(set.watch(a.mine(), SocketSet::kRead));
  ASSERT_TRUE(set.watch(a.mine(), 0));  // parked, e.g. a kept-alive connection between requests
  EXPECT_TRUE(set.watching(a.mine()));
  a.close_peer();
  io.poll();
  EXPECT_EQ(reports, 0);
  ASSERT_TRUE(set.watch(a.mine(), SocketSet::kRead));  // wanted again: the hang-up is news now
  io.restart();                                        // poll() may have run out of work
  io.run_one();
  EXPECT_EQ(reports, 1);
}

TEST(SocketSet, WritableAndDirectionChanges) {
  asio::io_context io;
  Pair a;
  std::vector<int> directions_seen;
  SocketSet set(
      io,
      [&](int, int directions) {
        directions_seen.push_back(directions);
        return false;
      },
      [] {});
  ASSERT_TRUE(set.watch(a.mine(), SocketSet::kWrite));
  io.run_one();
  ASSERT_EQ(directions_seen.size(), 1u);
  EXPECT_EQ(directions_seen[0], SocketSet::kWrite);
  ASSERT_TRUE(set.watch(a.mine(), SocketSet::kRead));  // nothing to read: quiet
  io.poll();
  EXPECT_EQ(directions_seen.size(), 1u);
}

TEST(SocketSet, UnwatchedDuringABatchIsNotReported) {
  asio::io_context io;
  Pair a, b;
  std::vector<int> reported;
  std::unique_ptr<SocketSet> set;
  set = std::make_unique<SocketSet>(
      io,
      [&](int socket, int) {
        reported.push_back(socket);
        // The first one reported takes the other out, as curl closing a socket would.
        set->unwatch(socket == a.mine() ? b.mine() : a.mine());
        drain(socket);
        return false;
      },
      [] {});
  ASSERT_TRUE(set->watch(a.mine(), SocketSet::kRead));
  ASSERT_TRUE(set->watch(b.mine(), SocketSet::kRead));
  send_byte(a.peer());
  send_byte(b.peer());
  io.run_one();
  EXPECT_EQ(reported.size(), 1u);
  EXPECT_EQ(set->size(), 1u);
}

TEST(SocketSet, YieldingLetsQueuedWorkRunBeforeTheRestOfTheBatch) {
  asio::io_context io;
  Pair a, b;
  std::vector<std::string> order;
  SocketSet set(
      io,
      [&](int socket, int) {
        drain(socket);
        order.push_back("ready");
        asio::post(io, [&] { order.push_back("queued"); });
        return true;  // run the queued work first
      },
      [&] { order.push_back("end"); });
  ASSERT_TRUE(set.watch(a.mine(), SocketSet::kRead));
  ASSERT_TRUE(set.watch(b.mine(), SocketSet::kRead));
  send_byte(a.peer());
  send_byte(b.peer());
  io.poll();
  const std::vector<std::string> expected = {"ready", "queued", "ready", "end", "queued"};
  EXPECT_EQ(order, expected);
}

TEST(SocketSet, DestroyedWithAWakeUpPendingIsSafe) {
  asio::io_context io;
  Pair a;
  int reports = 0;
  {
    SocketSet set(
        io,
        [&](int, int) {
          ++reports;
          return false;
        },
        [] {});
    ASSERT_TRUE(set.watch(a.mine(), SocketSet::kRead));
    send_byte(a.peer());
  }
  io.poll();  // the cancelled wait completes after the set is gone
  EXPECT_EQ(reports, 0);
}

TEST(SocketSet, RefusedSocketIsReportedAsAFailure) {
  asio::io_context io;
  SocketSet set(
      io, [](int, int) { return false; }, [] {});
  EXPECT_FALSE(set.watch(-1, SocketSet::kRead));
  EXPECT_FALSE(set.watching(-1));
  EXPECT_EQ(set.size(), 0u);
}

}  // namespace
}  // namespace llmbench::harness
