#pragma once

// A TLS-terminating TCP proxy for tests: accepts TLS on 127.0.0.1 (any free port) with the
// given certificate and pipes the plaintext to a backend port, so the plain-HTTP mock can stand
// in for an https:// endpoint. One io_context on one thread; destroying the proxy stops it.
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>

namespace llmbench::tlstest {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class TlsProxy {
 public:
  TlsProxy(std::uint16_t backend_port, const std::string& cert_pem_file, const std::string& key_pem_file)
      : backend_port_(backend_port),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    ssl_.use_certificate_chain_file(cert_pem_file);
    ssl_.use_private_key_file(key_pem_file, asio::ssl::context::pem);
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  TlsProxy(const TlsProxy&) = delete;
  TlsProxy& operator=(const TlsProxy&) = delete;
  ~TlsProxy() {
    io_.stop();
    thread_.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  using TlsStream = asio::ssl::stream<tcp::socket>;

  // Both directions of one proxied connection; the last pump to finish frees it.
  struct Session {
    Session(tcp::socket client, asio::ssl::context& ssl, asio::io_context& io)
        : tls(std::move(client), ssl), backend(io) {}
    TlsStream tls;
    tcp::socket backend;
    void close() {
      boost::system::error_code ignored;
      tls.lowest_layer().close(ignored);
      backend.close(ignored);
    }
  };

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(io_, serve(std::make_shared<Session>(std::move(socket), ssl_, io_)), asio::detached);
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<Session> session) {
    const auto token = asio::as_tuple(asio::use_awaitable);
    // A failed handshake (the client rejected our certificate) just ends the session.
    if (auto [ec] = co_await session->tls.async_handshake(asio::ssl::stream_base::server, token); ec) {
      session->close();
      co_return;
    }
    const tcp::endpoint backend(asio::ip::make_address("127.0.0.1"), backend_port_);
    if (auto [ec] = co_await session->backend.async_connect(backend, token); ec) {
      session->close();
      co_return;
    }
    asio::co_spawn(io_, pump(session->tls, session->backend, session), asio::detached);
    asio::co_spawn(io_, pump(session->backend, session->tls, session), asio::detached);
  }

  template <typename From, typename To>
  static asio::awaitable<void> pump(From& from, To& to, std::shared_ptr<Session> session) {
    const auto token = asio::as_tuple(asio::use_awaitable);
    std::array<char, 16 * 1024> buffer;
    for (;;) {
      auto [read_ec, n] = co_await from.async_read_some(asio::buffer(buffer), token);
      if (read_ec) break;
      auto [write_ec, written] = co_await asio::async_write(to, asio::buffer(buffer.data(), n), token);
      if (write_ec) break;
    }
    session->close();  // either side gone: end both, as a TCP proxy does
  }

  std::uint16_t backend_port_;
  asio::io_context io_;
  asio::ssl::context ssl_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace llmbench::tlstest
