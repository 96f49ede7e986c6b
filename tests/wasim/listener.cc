#include "wasim/listener.h"

#include <spdlog/spdlog.h>

namespace wacrm::wasim {

Result<boost::asio::ip::tcp::endpoint> loopback_endpoint(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return make_error(Errc::invalid_argument, "'" + address + "' is not HOST:PORT");
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(host, ec);
  if (ec) return make_error(Errc::invalid_argument, "'" + host + "' is not an IP address");
  if (!ip.is_loopback()) return make_error(Errc::invalid_argument, "'" + host + "' is not a loopback address");
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(address.substr(colon + 1), &used);
    if (used != address.size() - colon - 1 || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    return make_error(Errc::invalid_argument, "'" + address + "' has no valid port");
  }
  return boost::asio::ip::tcp::endpoint(ip, static_cast<unsigned short>(port));
}

Status Listener::open(const std::string& address) {
  auto endpoint = WACRM_TRY(loopback_endpoint(address));
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(Errc::unavailable, "cannot listen on '" + address + "': " + ec.message());
  accept_next();
  return {};
}

boost::asio::ip::tcp::endpoint Listener::endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Listener::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void Listener::accept_next() {
  acceptor_.async_accept(io_, [this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) spdlog::warn("accept failed: {}", ec.message());
    else on_accept_(std::move(socket));
    accept_next();
  });
}

}  // namespace wacrm::wasim
