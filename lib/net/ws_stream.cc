#include "net/ws_stream.h"

#include <boost/asio/error.hpp>

namespace wacrm::net::detail {

Error stream_error(const beast::error_code& ec, const char* operation, bool closed_by_us,
                   const websocket::close_reason& reason) {
  std::string op(operation);
  if (closed_by_us || ec == boost::asio::error::operation_aborted)
    return Error{Errc::cancelled, "WebSocket " + op + " cancelled: the connection was closed locally"};
  if (ec == beast::error::timeout) return Error{Errc::timeout, "WebSocket " + op + " timed out"};
  if (ec == websocket::error::closed) {
    std::string msg = "the peer closed the WebSocket (code " + std::to_string(reason.code);
    if (!reason.reason.empty()) msg += ", '" + std::string(reason.reason.c_str()) + "'";
    return Error{Errc::unavailable, msg + ")"};
  }
  if (ec == websocket::error::buffer_overflow || ec == websocket::error::message_too_big)
    return Error{Errc::too_large, "WebSocket " + op + ": message exceeds the read limit"};
  return Error{Errc::unavailable, "WebSocket " + op + " failed: " + ec.message()};
}

std::string peer_of(const beast::tcp_stream& stream) {
  beast::error_code ec;
  auto ep = stream.socket().remote_endpoint(ec);
  if (ec) return {};
  auto addr = ep.address();
  std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return host + ":" + std::to_string(ep.port());
}

}  // namespace wacrm::net::detail
