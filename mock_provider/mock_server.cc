#include "mock_provider/mock_server.h"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <stdexcept>

#include "mock_provider/engine.h"
#include "mock_provider/provider.h"

namespace llmbench::mock {

std::string listen_address_text(const MockConfig& config) {
  const bool v6 = config.host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", config.host, config.port) : fmt::format("{}:{}", config.host, config.port);
}

EngineKind parse_engine_kind(std::string_view name) {
  if (name == "asio") return EngineKind::asio;
  if (name == "httplib") return EngineKind::httplib;
  throw std::invalid_argument(fmt::format("unknown engine '{}' (expected asio or httplib)", name));
}

std::string_view engine_kind_name(EngineKind kind) noexcept {
  return kind == EngineKind::asio ? "asio" : "httplib";
}

std::string resolve_listen_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    throw std::invalid_argument(fmt::format("cannot resolve '{}' ({}); give an address such as 127.0.0.1, ::1 "
                                            "or 0.0.0.0, or a name of this machine such as localhost",
                                            host, rc != 0 ? ::gai_strerror(rc) : "no address"));
  }
  const addrinfo* chosen = found;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
  }
  char text[NI_MAXHOST] = {};
  const int named = ::getnameinfo(chosen->ai_addr, chosen->ai_addrlen, text, sizeof(text), nullptr, 0, NI_NUMERICHOST);
  ::freeaddrinfo(found);
  if (named != 0) throw std::invalid_argument(fmt::format("cannot resolve '{}' ({})", host, ::gai_strerror(named)));
  return text;
}

std::uint64_t raise_open_file_limit() noexcept {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

MockServer::MockServer(MockConfig config, EngineKind engine) : config_(std::move(config)), engine_kind_(engine) {
  validate(config_);
  config_.host = resolve_listen_host(config_.host);
}

MockServer::~MockServer() { stop(); }

void MockServer::start() {
  if (engine_) return;
  raise_open_file_limit();
  provider_ = std::make_unique<Provider>(config_);
  auto engine = engine_kind_ == EngineKind::asio ? make_asio_engine(*provider_) : make_httplib_engine(*provider_);
  engine->start();
  engine_ = std::move(engine);
}

void MockServer::stop() {
  if (engine_) engine_->stop();
  engine_.reset();
}

std::uint16_t MockServer::port() const { return engine_ ? engine_->port() : config_.port; }

std::string MockServer::base_url() const {
  const bool v6 = config_.host.find(':') != std::string::npos;
  return v6 ? fmt::format("http://[{}]:{}", config_.host, port()) : fmt::format("http://{}:{}", config_.host, port());
}

const MockConfig& MockServer::config() const { return config_; }
EngineKind MockServer::engine() const { return engine_kind_; }

}  // namespace llmbench::mock
