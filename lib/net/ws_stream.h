// Internal to lib/net (included by ws_client.cc and ws_server.cc only): the
// Beast implementation of MessageStream over websocket::stream<Next>, where
// Next is beast::tcp_stream (ws://) or beast::ssl_stream<beast::tcp_stream>
// (wss://).
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "net/message_stream.h"

namespace wacrm::net::detail {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Maps a Beast/Asio error of an operation on an open stream to our Errc.
Error stream_error(const beast::error_code& ec, const char* operation, bool closed_by_us,
                   const websocket::close_reason& reason);

// "address:port" of a TCP socket's peer, or "" if unknown.
std::string peer_of(const beast::tcp_stream& stream);

// Hands the stream over to the WebSocket's own timers (Beast requires the TCP
// layer's timer to be off for that) and sets the message limits both ends use.
struct WsSettings {
  std::chrono::milliseconds handshake_timeout;
  std::chrono::milliseconds idle_timeout;  // zero: none
  bool keep_alive_pings = false;
  std::size_t read_limit = 0;
};

template <class Ws>
void apply_settings(Ws& ws, const WsSettings& settings) {
  beast::get_lowest_layer(ws).expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = settings.handshake_timeout;
  const bool idle = settings.idle_timeout.count() > 0;
  timeouts.idle_timeout = idle ? std::chrono::steady_clock::duration(settings.idle_timeout)
                               : websocket::stream_base::none();
  timeouts.keep_alive_pings = idle && settings.keep_alive_pings;
  ws.set_option(timeouts);
  ws.read_message_max(settings.read_limit);
  ws.binary(true);
}

template <class Next, class Base = MessageStream>
class WsStream : public Base, public std::enable_shared_from_this<WsStream<Next, Base>> {
 public:
  template <class... Args>
  explicit WsStream(std::shared_ptr<void> keep_alive, Args&&... args)
      : keep_alive_(std::move(keep_alive)), ws_(std::forward<Args>(args)...) {}

  websocket::stream<Next>& ws() { return ws_; }

  void async_read(MessageStream::ReadHandler handler) override {
    ws_.async_read(buffer_, [self = this->shared_from_this(), handler = std::move(handler)](
                                const beast::error_code& ec, std::size_t) mutable {
      self->on_read(ec, std::move(handler));
    });
  }

  void async_write(Bytes message, MessageStream::WriteHandler handler) override {
    write_buffer_ = std::move(message);
    ws_.binary(true);
    ws_.async_write(boost::asio::buffer(write_buffer_),
                    [self = this->shared_from_this(), handler = std::move(handler)](const beast::error_code& ec,
                                                                                   std::size_t) {
                      if (ec)
                        handler(std::unexpected(stream_error(ec, "write", self->closed_by_us_, self->ws_.reason())));
                      else
                        handler({});
                    });
  }

  void async_close(MessageStream::CloseHandler handler) override {
    closed_by_us_ = true;
    if (!ws_.is_open()) {
      abort();
      if (handler) boost::asio::post(ws_.get_executor(), std::move(handler));
      return;
    }
    ws_.async_close(websocket::close_code::normal,
                    [self = this->shared_from_this(), handler = std::move(handler)](const beast::error_code&) {
                      self->abort();
                      if (handler) handler();
                    });
  }

  void abort() override {
    closed_by_us_ = true;
    beast::get_lowest_layer(ws_).close();
  }

  std::string remote_endpoint() const override { return peer_of(beast::get_lowest_layer(ws_)); }

 private:
  void on_read(const beast::error_code& ec, MessageStream::ReadHandler handler) {
    if (ec) {
      handler(std::unexpected(stream_error(ec, "read", closed_by_us_, ws_.reason())));
      return;
    }
    if (!ws_.got_binary()) {  // WhatsApp speaks binary only; ignore text
      buffer_.consume(buffer_.size());
      async_read(std::move(handler));
      return;
    }
    auto data = buffer_.cdata();
    const auto* begin = static_cast<const std::uint8_t*>(data.data());
    Bytes message(begin, begin + data.size());
    buffer_.consume(buffer_.size());
    handler(std::move(message));
  }

  std::shared_ptr<void> keep_alive_;  // e.g. the SSL context
  websocket::stream<Next> ws_;
  beast::flat_buffer buffer_;
  Bytes write_buffer_;
  bool closed_by_us_ = false;
};

}  // namespace wacrm::net::detail
