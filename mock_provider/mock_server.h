#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mock_provider/mock_config.h"

namespace llmbench::mock {

// Two engines serve the same provider core and pass one conformance suite:
//  asio    one event-loop thread, C++20 coroutines, Beast HTTP parsing (default; scales)
//  httplib cpp-httplib, one pool thread per connection (the classic model, for comparison)
enum class EngineKind { asio, httplib };

// "asio" or "httplib"; throws std::invalid_argument otherwise.
EngineKind parse_engine_kind(std::string_view name);
std::string_view engine_kind_name(EngineKind kind) noexcept;

class Engine;
class Provider;

// The mock LLM provider, embeddable: tests and the harness start it in-process with port 0.
class MockServer {
 public:
  // Validates `config` (std::invalid_argument on bad settings) and resolves its host name
  // (resolve_listen_host), so config().host and base_url() hold the address listened on.
  explicit MockServer(MockConfig config, EngineKind engine = EngineKind::asio);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // Binds (port 0 = any free port), then serves on background thread(s); returns once the
  // socket accepts connections. Throws std::system_error if the address cannot be bound: its
  // code is the errno (EADDRINUSE for a busy port), its message names host and port.
  void start();
  // Closes the listener and every connection, joins the threads. Idempotent.
  void stop();

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT" (no /v1)
  const MockConfig& config() const;
  EngineKind engine() const;

 private:
  MockConfig config_;
  EngineKind engine_kind_;
  std::unique_ptr<Provider> provider_;
  std::unique_ptr<Engine> engine_;
};

// The address to listen on for `host`: an IPv4/IPv6 literal as given, or a host name resolved
// (IPv4 first, so "localhost" listens where most clients connect first). Throws
// std::invalid_argument naming the host when it does not resolve.
std::string resolve_listen_host(const std::string& host);

// "127.0.0.1:8000" or "[::1]:8000": config's host and port, for errors about listening there.
std::string listen_address_text(const MockConfig& config);

// Raises RLIMIT_NOFILE's soft limit to the hard limit so thousands of sockets work;
// returns the new soft limit. MockServer::start() calls it.
std::uint64_t raise_open_file_limit() noexcept;

}  // namespace llmbench::mock
