#include "wasim/connection.h"

#include <spdlog/spdlog.h>

#include "net/noise_server.h"
#include "wasim/stanzas.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"

namespace wacrm::wasim {

Connection::Connection(boost::asio::io_context& io, std::shared_ptr<net::WsServerConnection> stream,
                       ConnectionHost& host, std::uint64_t id, ConnectionLimits limits)
    : io_(io),
      stream_(std::move(stream)),
      host_(host),
      id_(id),
      limits_(limits),
      remote_(stream_->remote_endpoint()),
      path_(stream_->request().target),
      limiter_(limits.stanza_rate, limits.stanza_burst),
      first_frame_timer_(io) {}

Connection::~Connection() = default;

void Connection::start() {
  auto material = host_.handshake_material(*this);
  net::NoiseServerIdentity identity{std::move(material.server_static), std::move(material.cert_chain)};
  net::NoiseServerOptions options;
  options.handshake_timeout = limits_.handshake_timeout;
  options.socket.max_queued_frames = limits_.max_queued_frames;
  net::async_noise_accept(io_, stream_, std::move(identity), options,
                          [self = shared_from_this()](Result<net::AcceptedNoiseConnection> accepted) {
                            self->on_accepted(std::move(accepted));
                          });
}

void Connection::on_accepted(Result<net::AcceptedNoiseConnection> accepted) {
  if (!accepted) return notify_closed("handshake failed: " + accepted.error().message);
  if (closing()) {
    accepted->socket->close();
    return notify_closed(close_reason_);
  }
  auto dict = wire::dict_version_from_byte(accepted->dict_version);
  if (!dict) {
    stream_->abort();
    return notify_closed("unsupported dictionary version " + std::to_string(accepted->dict_version));
  }
  dict_ = *dict;
  socket_ = accepted->socket;
  first_frame_at_ = std::chrono::steady_clock::now() + limits_.first_frame_delay;
  std::weak_ptr<Connection> weak = shared_from_this();
  socket_->start(
      [weak](Bytes plaintext) {
        if (auto self = weak.lock()) self->on_frame(std::move(plaintext));
      },
      [weak](const Error& error) {
        auto self = weak.lock();
        if (!self) return;
        std::string reason = self->close_reason_;
        if (reason.empty())
          reason = error.code == Errc::unavailable ? "client closed the connection: " + error.message : error.message;
        self->notify_closed(reason);
      });
  host_.on_handshake_complete(*this, accepted->client_static, accepted->client_payload);
}

void Connection::on_frame(Bytes plaintext) {
  if (closing() || silenced_) return;
  auto node = wire::decode_frame_payload(plaintext, dict_);
  if (!node) {
    send_and_close(stream_error_condition("xml-not-well-formed"), "undecodable stanza: " + node.error().message);
    return;
  }
  if (!limiter_.allow()) {
    send_and_close(stream_error_condition("policy-violation"), "stanza flood");
    return;
  }
  host_.on_node(*this, std::move(*node));
}

void Connection::send(const wire::Node& node) {
  if (closing() || !socket_ || silenced_) return;
  spdlog::debug("connection {} -> {}", id_, node.tag);
  Bytes payload = wire::encode_frame_payload(node, dict_);
  if (std::chrono::steady_clock::now() >= first_frame_at_ && held_.empty()) return write(std::move(payload));
  held_.push_back(std::move(payload));
  if (held_.size() > 1) return;  // the timer is already armed
  first_frame_timer_.expires_at(first_frame_at_);
  first_frame_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->flush_held();
  });
}

void Connection::flush_held() {
  auto held = std::move(held_);
  held_.clear();
  for (auto& payload : held) write(std::move(payload));
  if (closing_ && !closed_ && socket_) socket_->close();
}

void Connection::write(Bytes payload) {
  if (closed_ || !socket_) return;
  if (auto queued = socket_->async_send_frame(payload); !queued && queued.error().code != Errc::cancelled)
    abort("cannot queue a frame: " + queued.error().message);
}

void Connection::send_and_close(const wire::Node& node, std::string reason) {
  send(node);
  close(std::move(reason));
}

void Connection::close(std::string reason) {
  if (closing_ || closed_) return;
  closing_ = true;
  close_reason_ = std::move(reason);
  // Held frames go out first; flush_held closes after them.
  if (held_.empty() && socket_) socket_->close();
}

void Connection::abort(std::string reason) {
  if (closed_) return;
  closing_ = true;
  if (close_reason_.empty()) close_reason_ = std::move(reason);
  stream_->abort();
  notify_closed(close_reason_);
}

void Connection::notify_closed(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  first_frame_timer_.cancel();
  held_.clear();
  host_.on_closed(*this, reason);
}

}  // namespace wacrm::wasim
