#include "net/noise_client.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <utility>

#include "net/handshake_io.h"
#include "noise/initiator_handshake.h"

namespace wacrm::net {
namespace {

std::uint64_t system_unix_time() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

class ClientHandshakeOp : public std::enable_shared_from_this<ClientHandshakeOp> {
 public:
  ClientHandshakeOp(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream, NoiseClientOptions options,
                    noise::KeyPair noise_static, Bytes client_payload, NoiseConnectHandler handler)
      : stream_(std::move(stream)),
        options_(std::move(options)),
        noise_static_(std::move(noise_static)),
        client_payload_(std::move(client_payload)),
        handler_(std::move(handler)),
        codec_(FrameCodec::client(options_.dict_version)),
        handshake_(options_.dict_version),
        deadline_(io, stream_, options_.handshake_timeout) {}

  void start() {
    auto ephemeral = noise::KeyPair::generate();
    if (!ephemeral) return finish(std::unexpected(ephemeral.error()));
    auto hello = handshake_.start(*ephemeral);
    if (!hello) return finish(std::unexpected(hello.error()));
    auto message = codec_.encode(*hello);  // carries the intro header
    if (!message) return finish(std::unexpected(message.error()));
    stream_->async_write(std::move(*message), [self = shared_from_this()](Status sent) {
      if (!sent) return self->finish(std::unexpected(self->step_error("sending ClientHello", sent.error())));
      detail::async_read_frame(self->stream_, self->codec_,
                               [self](Result<Bytes> frame) { self->on_server_hello(std::move(frame)); });
    });
  }

 private:
  Error step_error(const char* step, const Error& error) const {
    return detail::handshake_step_error(deadline_, options_.handshake_timeout, "client", step, error);
  }

  void on_server_hello(Result<Bytes> frame) {
    if (!frame) return finish(std::unexpected(step_error("waiting for ServerHello", frame.error())));
    auto info = handshake_.on_server_hello(*frame);
    if (!info) return finish(std::unexpected(step_error("ServerHello", info.error())));
    const std::uint64_t now = options_.clock ? options_.clock() : system_unix_time();
    auto cert = noise::verify_cert_chain(info->cert_chain, options_.root_key, info->server_static, now);
    if (!cert) return finish(std::unexpected(step_error("server certificate", cert.error())));
    certificate_ = *cert;

    auto finish_frame = handshake_.client_finish(noise_static_, client_payload_);
    if (!finish_frame) return finish(std::unexpected(step_error("ClientFinish", finish_frame.error())));
    auto message = codec_.encode(*finish_frame);
    if (!message) return finish(std::unexpected(step_error("ClientFinish", message.error())));
    stream_->async_write(std::move(*message), [self = shared_from_this()](Status sent) {
      if (!sent) return self->finish(std::unexpected(self->step_error("sending ClientFinish", sent.error())));
      self->on_finished();
    });
  }

  void on_finished() {
    auto keys = handshake_.split();
    if (!keys) return finish(std::unexpected(keys.error()));
    deadline_.cancel();
    auto socket = NoiseSocket::create(stream_, std::move(codec_), *keys, options_.socket);
    finish(NoiseConnection{std::move(socket), certificate_});
  }

  void finish(Result<NoiseConnection> result) {
    deadline_.cancel();
    if (!result) stream_->abort();
    if (auto handler = std::exchange(handler_, nullptr)) handler(std::move(result));
  }

  std::shared_ptr<MessageStream> stream_;
  NoiseClientOptions options_;
  noise::KeyPair noise_static_;
  Bytes client_payload_;
  NoiseConnectHandler handler_;
  FrameCodec codec_;
  noise::InitiatorHandshake handshake_;
  detail::HandshakeDeadline deadline_;
  noise::VerifiedCertChain certificate_;
};

}  // namespace

void async_noise_client_handshake(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream,
                                  NoiseClientOptions options, noise::KeyPair noise_static, Bytes client_payload,
                                  NoiseConnectHandler handler) {
  std::make_shared<ClientHandshakeOp>(io, std::move(stream), std::move(options), std::move(noise_static),
                                      std::move(client_payload), std::move(handler))
      ->start();
}

void async_noise_connect(boost::asio::io_context& io, NoiseClientOptions options, noise::KeyPair noise_static,
                         Bytes client_payload, NoiseConnectHandler handler) {
  auto ws_options = options.ws;
  async_ws_connect(io, std::move(ws_options),
                   [&io, options = std::move(options), noise_static = std::move(noise_static),
                    client_payload = std::move(client_payload),
                    handler = std::move(handler)](Result<std::shared_ptr<MessageStream>> stream) mutable {
                     if (!stream) return handler(std::unexpected(stream.error()));
                     async_noise_client_handshake(io, std::move(*stream), std::move(options),
                                                  std::move(noise_static), std::move(client_payload),
                                                  std::move(handler));
                   });
}

}  // namespace wacrm::net
