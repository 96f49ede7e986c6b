#include "net/ws_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/option.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "net/ws_stream.h"

namespace wacrm::net {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

template <class Next>
class ServerStream final : public detail::WsStream<Next, WsServerConnection> {
 public:
  using Base = detail::WsStream<Next, WsServerConnection>;
  using Base::Base;
  const UpgradeRequest& request() const override { return request_; }
  UpgradeRequest request_;
};

// One accepted TCP connection on its way to becoming a WebSocket.
template <class Next>
class AcceptOp : public std::enable_shared_from_this<AcceptOp<Next>> {
 public:
  AcceptOp(std::shared_ptr<ServerStream<Next>> stream, const WsServerOptions& options,
           WsListener::ConnectionHandler on_connection, WsListener::FailureHandler on_failure)
      : stream_(std::move(stream)),
        options_(options),
        on_connection_(std::move(on_connection)),
        on_failure_(std::move(on_failure)) {}

  void start() {
    peer_ = stream_->remote_endpoint();
    beast::get_lowest_layer(stream_->ws()).expires_after(options_.handshake_timeout);
    if constexpr (std::is_same_v<Next, detail::TlsStream>) {
      stream_->ws().next_layer().async_handshake(
          ssl::stream_base::server, [self = this->shared_from_this()](const beast::error_code& ec) {
            if (ec) return self->fail("TLS handshake", ec);
            self->read_request();
          });
    } else {
      read_request();
    }
  }

 private:
  void fail(const char* step, const beast::error_code& ec) {
    stream_->abort();
    if (on_failure_)
      on_failure_(Error{ec == beast::error::timeout ? Errc::timeout : Errc::unavailable,
                        std::string(step) + " with " + peer_ + " failed: " + ec.message()});
  }

  void read_request() {
    parser_.body_limit(0);
    parser_.header_limit(16 * 1024);
    http::async_read(stream_->ws().next_layer(), buffer_, parser_,
                     [self = this->shared_from_this()](const beast::error_code& ec, std::size_t) {
                       if (ec) return self->fail("reading the upgrade request", ec);
                       self->accept();
                     });
  }

  void accept() {
    const auto& req = parser_.get();
    if (!websocket::is_upgrade(req)) return fail("WebSocket upgrade", websocket::error::no_upgrade);
    stream_->request_ = UpgradeRequest{std::string(req.target()), std::string(req[http::field::host]),
                                       std::string(req[http::field::origin]),
                                       std::string(req[http::field::user_agent])};
    auto& ws = stream_->ws();
    detail::apply_settings(ws, {options_.handshake_timeout, options_.idle_timeout, false, options_.read_limit});
    if (options_.permessage_deflate) {
      websocket::permessage_deflate pmd;
      pmd.server_enable = true;
      ws.set_option(pmd);
    }
    ws.async_accept(req, [self = this->shared_from_this()](const beast::error_code& ec) {
      if (ec) return self->fail("WebSocket accept", ec);
      self->on_connection_(self->stream_);
    });
  }

  std::shared_ptr<ServerStream<Next>> stream_;
  WsServerOptions options_;
  WsListener::ConnectionHandler on_connection_;
  WsListener::FailureHandler on_failure_;
  std::string peer_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
};

}  // namespace

struct WsListener::Impl {
  Impl(asio::io_context& io_, WsServerOptions options_) : io(io_), options(std::move(options_)), acceptor(io_) {}
  asio::io_context& io;
  WsServerOptions options;
  tcp::acceptor acceptor;
  std::shared_ptr<ssl::context> tls;
  ConnectionHandler on_connection;
  FailureHandler on_failure;
  bool stopped = false;
};

WsListener::WsListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsListener::~WsListener() = default;

Result<std::shared_ptr<WsListener>> WsListener::create(asio::io_context& io, WsServerOptions options) {
  beast::error_code ec;
  auto address = asio::ip::make_address(options.bind_address, ec);
  if (ec) return make_error(Errc::invalid_argument, "bad bind address '" + options.bind_address + "'");
  auto impl = std::make_unique<Impl>(io, std::move(options));
  if (!impl->options.tls_certificate_pem.empty() || !impl->options.tls_private_key_pem.empty()) {
    impl->tls = std::make_shared<ssl::context>(ssl::context::tls_server);
    impl->tls->use_certificate_chain(asio::buffer(impl->options.tls_certificate_pem), ec);
    if (!ec) impl->tls->use_private_key(asio::buffer(impl->options.tls_private_key_pem), ssl::context::pem, ec);
    if (ec) return make_error(Errc::invalid_argument, "TLS certificate or key does not load: " + ec.message());
  }
  tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error(Errc::unavailable, "cannot listen on " + impl->options.bind_address + ":" +
                                             std::to_string(impl->options.port) + ": " + ec.message());
  return std::shared_ptr<WsListener>(new WsListener(std::move(impl)));
}

std::uint16_t WsListener::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void WsListener::start(ConnectionHandler on_connection, FailureHandler on_failure) {
  impl_->on_connection = std::move(on_connection);
  impl_->on_failure = std::move(on_failure);
  accept_next();
}

void WsListener::stop() {
  impl_->stopped = true;
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

void WsListener::accept_next() {
  impl_->acceptor.async_accept(impl_->io, [self = shared_from_this()](const beast::error_code& ec, tcp::socket socket) {
    if (self->impl_->stopped) return;
    if (ec) {
      if (self->impl_->on_failure) self->impl_->on_failure(Error{Errc::unavailable, "accept failed: " + ec.message()});
    } else {
      beast::error_code ignored;  // not the throwing overload: a handler must not throw
      socket.set_option(tcp::no_delay(true), ignored);
      const auto& opts = self->impl_->options;
      if (self->impl_->tls) {
        auto stream = std::make_shared<ServerStream<detail::TlsStream>>(self->impl_->tls, std::move(socket),
                                                                        *self->impl_->tls);
        std::make_shared<AcceptOp<detail::TlsStream>>(std::move(stream), opts, self->impl_->on_connection,
                                                      self->impl_->on_failure)
            ->start();
      } else {
        auto stream = std::make_shared<ServerStream<detail::PlainStream>>(nullptr, std::move(socket));
        std::make_shared<AcceptOp<detail::PlainStream>>(std::move(stream), opts, self->impl_->on_connection,
                                                        self->impl_->on_failure)
            ->start();
      }
    }
    self->accept_next();
  });
}

}  // namespace wacrm::net
