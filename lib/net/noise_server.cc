#include "net/noise_server.h"

#include <boost/asio/io_context.hpp>

#include <optional>
#include <utility>

#include "net/handshake_io.h"
#include "noise/responder_handshake.h"

namespace wacrm::net {
namespace {

class ServerHandshakeOp : public std::enable_shared_from_this<ServerHandshakeOp> {
 public:
  ServerHandshakeOp(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream, NoiseServerIdentity identity,
                    NoiseServerOptions options, NoiseAcceptHandler handler)
      : stream_(std::move(stream)),
        identity_(std::move(identity)),
        options_(options),
        handler_(std::move(handler)),
        codec_(FrameCodec::server()),
        deadline_(io, stream_, options_.handshake_timeout) {}

  void start() {
    detail::async_read_frame(stream_, codec_,
                             [self = shared_from_this()](Result<Bytes> frame) { self->on_client_hello(std::move(frame)); });
  }

 private:
  Error step_error(const char* step, const Error& error) const {
    return detail::handshake_step_error(deadline_, options_.handshake_timeout, "server", step, error);
  }

  void on_client_hello(Result<Bytes> frame) {
    if (!frame) return finish(std::unexpected(step_error("waiting for ClientHello", frame.error())));
    // The intro has been parsed by now: it precedes the first frame.
    handshake_.emplace(*codec_.dict_version());
    if (auto r = handshake_->on_client_hello(*frame); !r)
      return finish(std::unexpected(step_error("ClientHello", r.error())));
    auto ephemeral = noise::KeyPair::generate();
    if (!ephemeral) return finish(std::unexpected(ephemeral.error()));
    auto hello = handshake_->server_hello(*ephemeral, identity_.static_key, identity_.cert_chain);
    if (!hello) return finish(std::unexpected(step_error("ServerHello", hello.error())));
    auto message = codec_.encode(*hello);
    if (!message) return finish(std::unexpected(step_error("ServerHello", message.error())));
    stream_->async_write(std::move(*message), [self = shared_from_this()](Status sent) {
      if (!sent) return self->finish(std::unexpected(self->step_error("sending ServerHello", sent.error())));
      detail::async_read_frame(self->stream_, self->codec_,
                               [self](Result<Bytes> frame) { self->on_client_finish(std::move(frame)); });
    });
  }

  void on_client_finish(Result<Bytes> frame) {
    if (!frame) return finish(std::unexpected(step_error("waiting for ClientFinish", frame.error())));
    auto info = handshake_->on_client_finish(*frame);
    if (!info) return finish(std::unexpected(step_error("ClientFinish", info.error())));
    auto keys = handshake_->split();
    if (!keys) return finish(std::unexpected(keys.error()));
    deadline_.cancel();
    AcceptedNoiseConnection accepted;
    accepted.dict_version = *codec_.dict_version();
    accepted.routing_info = codec_.routing_info();
    accepted.client_static = info->client_static;
    accepted.client_payload = std::move(info->client_payload);
    accepted.socket = NoiseSocket::create(stream_, std::move(codec_), *keys, options_.socket);
    finish(std::move(accepted));
  }

  void finish(Result<AcceptedNoiseConnection> result) {
    deadline_.cancel();
    if (!result) stream_->abort();
    if (auto handler = std::exchange(handler_, nullptr)) handler(std::move(result));
  }

  std::shared_ptr<MessageStream> stream_;
  NoiseServerIdentity identity_;
  NoiseServerOptions options_;
  NoiseAcceptHandler handler_;
  FrameCodec codec_;
  std::optional<noise::ResponderHandshake> handshake_;
  detail::HandshakeDeadline deadline_;
};

}  // namespace

void async_noise_accept(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream,
                        NoiseServerIdentity identity, NoiseServerOptions options, NoiseAcceptHandler handler) {
  std::make_shared<ServerHandshakeOp>(io, std::move(stream), std::move(identity), options, std::move(handler))
      ->start();
}

}  // namespace wacrm::net
