#pragma once

// The engine configurations every loopback suite of the mock runs against: asio with one
// event loop (the default), asio with two loops (connections handed out round-robin), httplib.
#include <cstdint>
#include <string>
#include <vector>

#include "mock_provider/mock_server.h"

namespace llmbench::mock::testing {

struct EngineSetup {
  EngineKind kind = EngineKind::asio;
  std::uint32_t event_loops = 1;

  void apply(MockConfig& config) const { config.event_loops = event_loops; }
  std::string name() const {
    std::string name(engine_kind_name(kind));
    return event_loops > 1 ? name + "_" + std::to_string(event_loops) + "loops" : name;
  }
};

inline std::vector<EngineSetup> all_engine_setups() {
  return {{EngineKind::asio, 1}, {EngineKind::asio, 2}, {EngineKind::httplib, 1}};
}

}  // namespace llmbench::mock::testing
