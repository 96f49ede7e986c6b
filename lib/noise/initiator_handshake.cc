#include "noise/initiator_handshake.h"

#include <string>

#include "noise/handshake_messages.h"
#include "noise/protocol_constants.h"

namespace wacrm::noise {

InitiatorHandshake::InitiatorHandshake(std::uint8_t dict_version) : state_(ByteView(intro_header(dict_version))) {}

Status InitiatorHandshake::expect(Step step, const char* operation) {
  if (step_ == step) return {};
  if (step_ == Step::failed)
    return make_error(Errc::invalid_argument, std::string("Noise initiator: ") + operation + " after a failed step");
  return make_error(Errc::invalid_argument, std::string("Noise initiator: ") + operation + " called out of order");
}

template <class T>
Result<T> InitiatorHandshake::fail_on_error(Result<T> r) {
  if (!r) step_ = Step::failed;
  return r;
}

Result<Bytes> InitiatorHandshake::start(const KeyPair& ephemeral) {
  WACRM_TRY(expect(Step::initial, "start"));
  ephemeral_ = ephemeral;
  state_.mix_hash(ephemeral.public_key());
  step_ = Step::hello_sent;
  return encode_client_hello(ClientHello{ephemeral.public_key()});
}

Result<ServerHelloInfo> InitiatorHandshake::on_server_hello(ByteView frame) {
  WACRM_TRY(expect(Step::hello_sent, "on_server_hello"));
  return fail_on_error([&]() -> Result<ServerHelloInfo> {
    auto hello = WACRM_TRY(decode_server_hello(frame));
    server_ephemeral_ = hello.ephemeral;
    state_.mix_hash(hello.ephemeral);
    auto ee = WACRM_TRY(x25519(ephemeral_->private_key(), hello.ephemeral));
    WACRM_TRY(state_.mix_key(ee.view()));

    auto static_bytes = state_.decrypt_and_hash(hello.encrypted_static);
    if (!static_bytes)
      return make_error(Errc::crypto, "ServerHello: decrypting the server static key failed: " +
                                          static_bytes.error().message);
    ServerHelloInfo info;
    to_public_key(*static_bytes, info.server_static);
    auto es = WACRM_TRY(x25519(ephemeral_->private_key(), *static_bytes));
    WACRM_TRY(state_.mix_key(es.view()));

    auto cert = state_.decrypt_and_hash(hello.encrypted_payload);
    if (!cert)
      return make_error(Errc::crypto, "ServerHello: decrypting the certificate payload failed: " +
                                          cert.error().message);
    info.cert_chain = std::move(*cert);
    step_ = Step::server_hello_received;
    return info;
  }());
}

Result<Bytes> InitiatorHandshake::client_finish(const KeyPair& noise_static, ByteView client_payload) {
  WACRM_TRY(expect(Step::server_hello_received, "client_finish"));
  return fail_on_error([&]() -> Result<Bytes> {
    ClientFinish finish;
    finish.encrypted_static = WACRM_TRY(state_.encrypt_and_hash(noise_static.public_key()));
    auto se = WACRM_TRY(x25519(noise_static.private_key(), server_ephemeral_));
    WACRM_TRY(state_.mix_key(se.view()));
    finish.encrypted_payload = WACRM_TRY(state_.encrypt_and_hash(client_payload));
    ephemeral_.reset();  // no longer needed: wipe it now
    step_ = Step::finished;
    return encode_client_finish(finish);
  }());
}

Result<TransportKeys> InitiatorHandshake::split() const {
  if (step_ != Step::finished)
    return make_error(Errc::invalid_argument, "Noise initiator: split before the handshake finished");
  auto halves = WACRM_TRY(state_.split());
  return TransportKeys{halves.first, halves.second};
}

}  // namespace wacrm::noise
