#include "wa/connection.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <random>

#include <spdlog/spdlog.h>

#include "net/noise_client.h"
#include "net/noise_socket.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"
#include "wire/node_format.h"

namespace wacrm::wa {

namespace asio = boost::asio;

namespace {

asio::awaitable<Result<net::NoiseConnection>> noise_connect(asio::io_context& io, net::NoiseClientOptions options,
                                                            noise::KeyPair noise_static, Bytes payload) {
  auto initiate = [&io, options = std::move(options), noise_static = std::move(noise_static),
                   payload = std::move(payload)](auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    net::async_noise_connect(io, std::move(options), std::move(noise_static), std::move(payload),
                             [shared](Result<net::NoiseConnection> connection) { (*shared)(std::move(connection)); });
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Result<net::NoiseConnection>)>(
      std::move(initiate), asio::use_awaitable);
}

wire::DictVersion dict_version_of(std::uint8_t byte) {
  return byte == 2 ? wire::DictVersion::v2 : wire::DictVersion::v3;
}

}  // namespace

asio::awaitable<Result<std::shared_ptr<Connection>>> Connection::open(asio::io_context& io, const ClientConfig& config,
                                                                      noise::KeyPair noise_static,
                                                                      Bytes client_payload) {
  net::NoiseClientOptions options;
  options.ws.url = config.url;
  options.ws.connect_timeout = config.connect_timeout;
  options.ws.handshake_timeout = config.connect_timeout;
  options.dict_version = config.dict_version;
  options.root_key = config.root_key;
  options.handshake_timeout = config.connect_timeout;
  auto connected = co_await noise_connect(io, std::move(options), std::move(noise_static), std::move(client_payload));
  if (!connected) co_return std::unexpected(connected.error());
  co_return std::shared_ptr<Connection>(new Connection(io, config, std::move(connected->socket)));
}

Connection::Connection(asio::io_context& io, const ClientConfig& config, std::shared_ptr<net::NoiseSocket> socket)
    : io_(io),
      dict_version_(dict_version_of(config.dict_version)),
      iq_timeout_(config.iq_timeout),
      ping_timeout_(config.ping_timeout),
      socket_(std::move(socket)),
      keepalive_(config, KeepAlive::Clock::now(), std::random_device{}()),
      timer_(io) {}

Connection::~Connection() {
  // A connection dropped without close(): end the socket too.
  if (!closed_ && socket_) socket_->close();
}

std::string Connection::remote_endpoint() const { return socket_ ? socket_->remote_endpoint() : std::string(); }

void Connection::start(NodeHandler on_node, ClosedHandler on_closed) {
  on_node_ = std::move(on_node);
  on_closed_ = std::move(on_closed);
  std::weak_ptr<Connection> weak = shared_from_this();
  socket_->start(
      [weak](Bytes plaintext) {
        if (auto self = weak.lock()) self->on_frame(std::move(plaintext));
      },
      [weak](const Error& error) {
        if (auto self = weak.lock()) self->finish(error);
      });
  arm_timer();
}

void Connection::on_frame(Bytes plaintext) {
  if (closed_) return;
  keepalive_.on_frame(KeepAlive::Clock::now());
  auto node = wire::decode_frame_payload(plaintext, dict_version_);
  if (!node) {
    // Not acked, so the server keeps it; a reconnect would not decode it either.
    spdlog::debug("wa: dropped a frame that does not decode: {}", node.error().message);
    return;
  }
  spdlog::debug("wa: received {}", wire::format_node(*node));
  if (tracker_.on_response(*node)) {
    arm_timer();
    return;
  }
  if (on_node_) on_node_(*node);
}

Status Connection::send(const wire::Node& node) {
  if (closed_) return make_error(Errc::unavailable, "the connection is closed");
  spdlog::debug("wa: sending {}", wire::format_node(node));
  return socket_->async_send_frame(wire::encode_frame_payload(node, dict_version_));
}

void Connection::send_iq(wire::Node iq, IqTracker::Callback callback, std::chrono::milliseconds timeout) {
  if (closed_) {
    asio::post(io_, [callback = std::move(callback)] {
      callback(make_error(Errc::unavailable, "the connection is closed"));
    });
    return;
  }
  std::string id = tracker_.track(iq, IqTracker::Clock::now() + timeout, std::move(callback));
  if (auto sent = send(iq); !sent) {
    // Fail it through the tracker so the callback runs once, later.
    wire::Node error("iq", {{"id", id}, {"type", "error"}},
                     wire::Node::Children{wire::Node("error", {{"code", "503"}, {"text", sent.error().message}})});
    asio::post(io_, [self = shared_from_this(), error = std::move(error)] { self->tracker_.on_response(error); });
  }
  arm_timer();
}

asio::awaitable<Result<wire::Node>> Connection::query(wire::Node iq) {
  auto initiate = [self = shared_from_this(), iq = std::move(iq)](auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    self->send_iq(std::move(iq), [shared](Result<wire::Node> answer) { (*shared)(std::move(answer)); });
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Result<wire::Node>)>(
      std::move(initiate), asio::use_awaitable);
}

void Connection::pause_reading() {
  if (closed_ || paused_) return;
  paused_ = true;
  socket_->pause_reading();
  timer_.cancel();  // no pings, no verdicts while the silence is ours
  spdlog::debug("wa: paused reading from {}", remote_endpoint());
}

void Connection::resume_reading() {
  if (closed_ || !paused_) return;
  paused_ = false;
  resumed_at_ = KeepAlive::Clock::now();
  keepalive_.on_frame(resumed_at_);
  spdlog::debug("wa: resumed reading from {}", remote_endpoint());
  arm_timer();
  // Posted: the caller may be inside a node handler, and the held-back frames
  // go to the same handlers.
  asio::post(io_, [weak = std::weak_ptr<Connection>(shared_from_this())] {
    if (auto self = weak.lock(); self && !self->closed_ && !self->paused_) self->socket_->resume_reading();
  });
}

void Connection::close(const Error& reason) { finish(reason); }

void Connection::finish(const Error& reason) {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  socket_->close();  // flushes a final reply (e.g. a pairing error) before the close
  tracker_.fail_all(Error{Errc::unavailable, "the connection closed: " + reason.message});
  // Posted: finish may run inside on_node_, and on_closed_ may drop the last reference to us.
  if (auto handler = std::exchange(on_closed_, nullptr))
    asio::post(io_, [handler = std::move(handler), reason] { handler(reason); });
  on_node_ = nullptr;
}

void Connection::arm_timer() {
  if (closed_ || paused_) return;
  auto wakeup = keepalive_.next_wakeup();
  if (auto deadline = tracker_.next_deadline())
    wakeup = std::min(wakeup, std::max(*deadline, resumed_at_ + ping_timeout_));
  timer_.expires_at(wakeup);
  std::weak_ptr<Connection> weak = shared_from_this();
  timer_.async_wait([weak](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->on_tick();
  });
}

void Connection::on_tick() {
  if (closed_ || paused_) return;  // resume_reading() arms the timer again
  auto now = KeepAlive::Clock::now();
  if (now >= resumed_at_ + ping_timeout_) tracker_.expire(now);
  switch (keepalive_.poll(now)) {
    case KeepAlive::Action::dead:
      finish(Error{Errc::timeout, keepalive_.dead_reason()});
      return;
    case KeepAlive::Action::ping: {
      keepalive_.ping_sent(now);
      std::weak_ptr<Connection> weak = shared_from_this();
      send_iq(ping_iq(),
              [weak](Result<wire::Node> answer) {
                if (auto self = weak.lock()) {
                  auto at = KeepAlive::Clock::now();
                  answer ? self->keepalive_.ping_answered(at) : self->keepalive_.ping_failed(at);
                  self->arm_timer();
                }
              },
              ping_timeout_);
      break;
    }
    case KeepAlive::Action::wait:
      break;
  }
  arm_timer();
}

}  // namespace wacrm::wa
