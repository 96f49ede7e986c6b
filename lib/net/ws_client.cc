#include "net/ws_client.h"

#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/option.hpp>

#include "net/ws_stream.h"

namespace wacrm::net {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

bool is_ip_literal(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

Result<std::shared_ptr<ssl::context>> make_tls_context(const WsClientOptions& options) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  beast::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  ctx->set_default_verify_paths(ec);
  if (ec) return make_error(Errc::internal, "TLS: cannot load the system trust store: " + ec.message());
  if (!options.extra_ca_pem.empty()) {
    ctx->add_certificate_authority(asio::buffer(options.extra_ca_pem), ec);
    if (ec) return make_error(Errc::invalid_argument, "TLS: the extra CA certificate does not load: " + ec.message());
  }
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

// One connection attempt: resolve -> TCP -> [TLS] -> WebSocket upgrade.
template <class Next>
class ConnectOp : public std::enable_shared_from_this<ConnectOp<Next>> {
 public:
  using Stream = detail::WsStream<Next>;

  ConnectOp(asio::io_context& io, WsClientOptions options, WsUrl url, std::shared_ptr<Stream> stream,
            WsConnectHandler handler)
      : options_(std::move(options)),
        url_(std::move(url)),
        resolver_(io),
        timer_(io),
        stream_(std::move(stream)),
        handler_(std::move(handler)) {}

  void start() {
    timer_.expires_after(options_.connect_timeout);
    timer_.async_wait([weak = this->weak_from_this()](const beast::error_code& ec) {
      if (auto self = weak.lock(); self && !ec) {
        self->resolve_timed_out_ = true;
        self->resolver_.cancel();
      }
    });
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [self = this->shared_from_this()](const beast::error_code& ec,
                                                              tcp::resolver::results_type results) {
                              self->timer_.cancel();
                              self->on_resolve(ec, std::move(results));
                            });
  }

 private:
  void finish(Result<std::shared_ptr<MessageStream>> result) {
    if (!result) stream_->abort();
    auto handler = std::move(handler_);
    handler(std::move(result));
  }
  void fail(Errc code, const std::string& step, const beast::error_code& ec) {
    Errc c = ec == beast::error::timeout ? Errc::timeout : code;
    finish(make_error(c, step + " " + url_.host_header() + " failed: " +
                             (ec == beast::error::timeout ? std::string("timed out") : ec.message())));
  }

  void on_resolve(const beast::error_code& ec, tcp::resolver::results_type results) {
    if (resolve_timed_out_) return fail(Errc::timeout, "resolving", beast::error::timeout);
    if (ec) return fail(Errc::unavailable, "resolving", ec);
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) {
      // Plain ws:// was allowed for a loopback name; make sure it really
      // stays on this machine.
      if (!url_.tls && !entry.endpoint().address().is_loopback()) continue;
      endpoints.push_back(entry.endpoint());
    }
    if (endpoints.empty())
      return finish(make_error(Errc::invalid_argument,
                               "'" + url_.host + "' resolves to no loopback address; ws:// is loopback-only"));
    auto& tcp_layer = beast::get_lowest_layer(stream_->ws());
    tcp_layer.expires_after(options_.connect_timeout);
    tcp_layer.async_connect(endpoints, [self = this->shared_from_this()](const beast::error_code& ec,
                                                                        const tcp::endpoint&) {
      self->on_connect(ec);
    });
  }

  void on_connect(const beast::error_code& ec) {
    if (ec) return fail(Errc::unavailable, "connecting to", ec);
    // The error_code overload: a handler must not throw (the peer may already have reset the
    // connection), and Nagle left on only costs latency.
    beast::error_code ignored;
    beast::get_lowest_layer(stream_->ws()).socket().set_option(tcp::no_delay(true), ignored);
    if constexpr (std::is_same_v<Next, detail::TlsStream>) {
      auto& tls = stream_->ws().next_layer();
      // SNI carries names only, never IP literals (RFC 6066 §3).
      if (!is_ip_literal(url_.host) && !SSL_set_tlsext_host_name(tls.native_handle(), url_.host.c_str()))
        return finish(make_error(Errc::internal, "TLS: cannot set the SNI host name"));
      tls.set_verify_mode(ssl::verify_peer);
      tls.set_verify_callback(ssl::host_name_verification(url_.host));
      beast::get_lowest_layer(stream_->ws()).expires_after(options_.handshake_timeout);
      tls.async_handshake(ssl::stream_base::client,
                          [self = this->shared_from_this()](const beast::error_code& ec) { self->on_tls(ec); });
    } else {
      upgrade();
    }
  }

  void on_tls(const beast::error_code& ec) {
    if (ec) return fail(Errc::unavailable, "TLS handshake with", ec);
    upgrade();
  }

  void upgrade() {
    auto& ws = stream_->ws();
    detail::apply_settings(ws, {options_.handshake_timeout, options_.idle_timeout, options_.keep_alive_pings,
                                options_.read_limit});
    if (options_.offer_permessage_deflate) {
      websocket::permessage_deflate pmd;
      pmd.client_enable = true;
      ws.set_option(pmd);
    }
    ws.set_option(websocket::stream_base::decorator([opts = options_](websocket::request_type& req) {
      req.set(beast::http::field::origin, opts.origin);
      if (!opts.user_agent.empty()) req.set(beast::http::field::user_agent, opts.user_agent);
      else req.erase(beast::http::field::user_agent);
      for (const auto& [name, value] : opts.extra_headers) req.set(name, value);
    }));
    ws.async_handshake(response_, url_.host_header(), url_.target,
                       [self = this->shared_from_this()](const beast::error_code& ec) { self->on_upgrade(ec); });
  }

  void on_upgrade(const beast::error_code& ec) {
    if (ec) {
      if (ec == websocket::error::upgrade_declined)
        return finish(make_error(Errc::unavailable, "WebSocket upgrade to " + url_.host_header() + url_.target +
                                                        " declined with HTTP " +
                                                        std::to_string(response_.result_int())));
      return fail(Errc::unavailable, "WebSocket upgrade with", ec);
    }
    finish(std::static_pointer_cast<MessageStream>(stream_));
  }

  WsClientOptions options_;
  WsUrl url_;
  tcp::resolver resolver_;
  asio::steady_timer timer_;
  bool resolve_timed_out_ = false;
  std::shared_ptr<Stream> stream_;
  websocket::response_type response_;
  WsConnectHandler handler_;
};

void post_error(asio::io_context& io, WsConnectHandler handler, Error error) {
  asio::post(io, [handler = std::move(handler), error = std::move(error)]() mutable {
    handler(std::unexpected(std::move(error)));
  });
}

}  // namespace

void async_ws_connect(asio::io_context& io, WsClientOptions options, WsConnectHandler handler) {
  auto url = parse_ws_url(options.url);
  if (!url) return post_error(io, std::move(handler), url.error());
  if (url->tls) {
    auto ctx = make_tls_context(options);
    if (!ctx) return post_error(io, std::move(handler), ctx.error());
    auto stream = std::make_shared<detail::WsStream<detail::TlsStream>>(*ctx, io.get_executor(), **ctx);
    auto op = std::make_shared<ConnectOp<detail::TlsStream>>(io, std::move(options), std::move(*url),
                                                             std::move(stream), std::move(handler));
    op->start();
  } else {
    auto stream = std::make_shared<detail::WsStream<detail::PlainStream>>(nullptr, io.get_executor());
    auto op = std::make_shared<ConnectOp<detail::PlainStream>>(io, std::move(options), std::move(*url),
                                                               std::move(stream), std::move(handler));
    op->start();
  }
}

}  // namespace wacrm::net
