#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "mock_provider/provider.h"

namespace llmbench::mock {

// A transport that serves a Provider. Engines only parse HTTP and move bytes at the times
// the provider's exchanges say; they decide nothing about content or timing.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual void start() = 0;  // bind, listen, serve in the background; returns once accepting
  virtual void stop() = 0;   // idempotent
  virtual std::uint16_t port() const = 0;
};

std::unique_ptr<Engine> make_asio_engine(Provider& provider);
std::unique_ptr<Engine> make_httplib_engine(Provider& provider);

// "HTTP/1.1 200 OK\r\n...\r\n" for a head; `content_length` < 0 means chunked.
std::string serialize_head(const ResponseHead& head, long long content_length, bool keep_alive);

// The chunked transfer-encoding frame of `bytes` (empty input gives an empty frame).
void append_chunk(std::string& out, std::string_view bytes);

}  // namespace llmbench::mock
