// Accepts TCP connections on a loopback endpoint and hands each socket on.
// Used for the WebSocket port and the admin port.
#pragma once

#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/error.h"

namespace wacrm::wasim {

class Listener {
 public:
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket)>;

  Listener(boost::asio::io_context& io, OnAccept on_accept) : io_(io), acceptor_(io), on_accept_(std::move(on_accept)) {}

  // "127.0.0.1:PORT" (port 0: the kernel picks). Errc::invalid_argument for
  // anything that is not a loopback address; Errc::unavailable if the bind fails.
  Status open(const std::string& address);
  boost::asio::ip::tcp::endpoint endpoint() const;
  void close();

 private:
  void accept_next();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  OnAccept on_accept_;
};

// Parses "HOST:PORT" with a loopback HOST.
Result<boost::asio::ip::tcp::endpoint> loopback_endpoint(const std::string& address);

}  // namespace wacrm::wasim
