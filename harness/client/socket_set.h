#pragma once

#include <sys/epoll.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

namespace llmbench::harness {

// A level-triggered epoll set of sockets, watched by an Asio io_context through the one
// descriptor of the set. Why not one Asio wait per socket: every async_wait re-arms the socket
// in Asio's reactor (an epoll_ctl per wait, so per streamed chunk) and allocates a handler. Here
// a socket is added once and modified only when the wanted directions change, and one wake-up
// hands every ready socket over in one batch.
//
// Thread-safety: none; use it on its io_context's thread. The io_context must outlive it.
class SocketSet {
 public:
  // Directions, as bits.
  static constexpr int kRead = 1;
  static constexpr int kWrite = 2;
  static constexpr int kError = 4;  // only ever reported, never asked for

  // on_ready(socket, directions) for every socket that became ready; it returns true when it
  // queued work on the io_context that should run before the rest of the batch is handed out.
  // on_batch_end() after each batch. Both may call watch/unwatch on this set (also for sockets
  // later in the same batch: an event for a socket unwatched meanwhile is dropped). Throws
  // std::system_error when the kernel refuses an epoll set.
  SocketSet(boost::asio::io_context& io, std::function<bool(int socket, int directions)> on_ready,
            std::function<void()> on_batch_end);
  ~SocketSet();
  SocketSet(const SocketSet&) = delete;
  SocketSet& operator=(const SocketSet&) = delete;

  // Waits for `directions` (kRead | kWrite; 0 parks the socket: it stays known but reports
  // nothing, not even errors, which its owner finds when it next uses it). No system call when
  // parking or when nothing changes. Returns false when the kernel refuses the socket.
  bool watch(int socket, int directions);
  // Takes the socket out of the set; call before the socket is closed. No-op if unknown.
  void unwatch(int socket) noexcept;
  bool watching(int socket) const noexcept { return sockets_.contains(socket); }
  std::size_t size() const noexcept { return sockets_.size(); }

 private:
  static constexpr int kNotInKernel = -1;
  struct Entry {
    std::uint32_t generation = 0;  // tells this socket from an earlier one with the same number
    int directions = 0;            // wanted now; 0: parked
    int in_kernel = kNotInKernel;  // directions registered in the epoll set
  };
  void arm();
  void set_directions(Entry& entry, int directions) noexcept;
  void dispatch();
  bool register_in_kernel(int socket, Entry& entry, int directions);
  void remove_from_kernel(int socket, Entry& entry) noexcept;

  boost::asio::posix::stream_descriptor set_;
  std::function<bool(int, int)> on_ready_;
  std::function<void()> on_batch_end_;
  std::unordered_map<int, Entry> sockets_;
  std::size_t wanted_ = 0;  // entries with directions != 0
  std::uint32_t next_generation_ = 0;
  bool waiting_ = false;
  // The batch being handed out (possibly across several handlers, see dispatch()).
  static constexpr std::size_t kBatch = 256;
  std::array<epoll_event, kBatch> events_;
  std::size_t batch_size_ = 0;
  std::size_t next_event_ = 0;
  bool in_batch_ = false;
  // Expires with the set: a completion queued before destruction then does nothing.
  std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);
};

}  // namespace llmbench::harness
