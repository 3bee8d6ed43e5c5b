#pragma once

#include <cstdint>
#include <memory>

#include "mock_provider/engines/http_framing.h"
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

}  // namespace llmbench::mock
