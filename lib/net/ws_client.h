// The WebSocket client (Boost.Beast): wss:// with OpenSSL, the system trust
// store, SNI and hostname verification; ws:// only to loopback hosts. Sends
// the upgrade headers WhatsApp Web's server expects (notes 01 §1) and yields a
// MessageStream of binary messages.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "net/message_stream.h"
#include "net/ws_url.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::net {

struct WsClientOptions {
  std::string url{kWhatsAppWebSocketUrl};
  std::string origin = "https://web.whatsapp.com";
  std::string user_agent;  // sent only if not empty
  std::vector<std::pair<std::string, std::string>> extra_headers;
  // Name resolution and TCP connect.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(20)};
  // TLS handshake, WebSocket upgrade, and later the WebSocket close.
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(20)};
  // Nothing received for this long closes the stream (reads fail with
  // Errc::timeout); with keep_alive_pings a WebSocket ping goes out at half
  // of it. Zero disables it (the WhatsApp layer runs its own keep-alive).
  std::chrono::milliseconds idle_timeout{0};
  bool keep_alive_pings = true;
  // Both WhatsApp Web clients offer permessage-deflate.
  bool offer_permessage_deflate = true;
  // Largest WebSocket message accepted (whatsmeow's limit).
  std::size_t read_limit = std::size_t{1} << 24;
  // Extra trust anchors (PEM) in addition to the system store; for tests and
  // private deployments.
  std::string extra_ca_pem;
};

using WsConnectHandler = std::function<void(Result<std::shared_ptr<MessageStream>>)>;

// Resolves, connects, does TLS (wss) and the WebSocket upgrade. The handler
// runs once, on the io_context, with the open stream or an error naming the
// step that failed (Errc::invalid_argument for a refused URL, Errc::timeout,
// Errc::unavailable for network and TLS failures).
void async_ws_connect(boost::asio::io_context& io, WsClientOptions options, WsConnectHandler handler);

}  // namespace wacrm::net
