// The server end of WhatsApp's WebSocket transport, for wasim and tests: a
// listener that accepts TCP connections, optionally does TLS, reads the HTTP
// upgrade request (kept for inspection: Origin, target, …), accepts the
// WebSocket and hands each connection over as a MessageStream.
//
//   auto listener = WsListener::create(io, {.port = 0}).value();
//   listener->start([](std::shared_ptr<WsServerConnection> conn) { … });
//   connect to ws://127.0.0.1:<listener->port()>/ws/chat
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/error.h"
#include "net/message_stream.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::net {

struct WsServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the system picks one; see WsListener::port()
  // TLS handshake + HTTP upgrade, and later the WebSocket close.
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(20)};
  // Nothing received for this long closes the connection; zero disables it.
  std::chrono::milliseconds idle_timeout{0};
  std::size_t read_limit = std::size_t{1} << 24;
  bool permessage_deflate = true;
  // PEM certificate chain and private key; both empty for plain ws://.
  std::string tls_certificate_pem;
  std::string tls_private_key_pem;
};

// The HTTP request that asked for the upgrade.
struct UpgradeRequest {
  std::string target;
  std::string host;
  std::string origin;
  std::string user_agent;
};

class WsServerConnection : public MessageStream {
 public:
  virtual const UpgradeRequest& request() const = 0;
};

class WsListener : public std::enable_shared_from_this<WsListener> {
 public:
  using ConnectionHandler = std::function<void(std::shared_ptr<WsServerConnection>)>;
  // A connection that never became a WebSocket (bad upgrade, TLS failure,
  // timeout): reported for logging; the listener keeps going.
  using FailureHandler = std::function<void(const Error&)>;

  // Binds and listens; Errc::unavailable when the address cannot be bound,
  // Errc::invalid_argument for a bad address or unusable TLS material.
  static Result<std::shared_ptr<WsListener>> create(boost::asio::io_context& io, WsServerOptions options);
  ~WsListener();

  std::uint16_t port() const;
  void start(ConnectionHandler on_connection, FailureHandler on_failure = {});
  // Stops accepting; established connections are not affected. A started
  // listener keeps itself alive (its pending accept holds it) until stop().
  void stop();

 private:
  struct Impl;
  explicit WsListener(std::unique_ptr<Impl> impl);
  void accept_next();
  std::unique_ptr<Impl> impl_;
};

}  // namespace wacrm::net
