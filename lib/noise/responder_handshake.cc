#include "noise/responder_handshake.h"

#include <string>

#include "noise/handshake_messages.h"
#include "noise/protocol_constants.h"

namespace wacrm::noise {

ResponderHandshake::ResponderHandshake(std::uint8_t dict_version) : state_(ByteView(intro_header(dict_version))) {}

Status ResponderHandshake::expect(Step step, const char* operation) {
  if (step_ == step) return {};
  if (step_ == Step::failed)
    return make_error(Errc::invalid_argument, std::string("Noise responder: ") + operation + " after a failed step");
  return make_error(Errc::invalid_argument, std::string("Noise responder: ") + operation + " called out of order");
}

template <class T>
Result<T> ResponderHandshake::fail_on_error(Result<T> r) {
  if (!r) step_ = Step::failed;
  return r;
}

Status ResponderHandshake::on_client_hello(ByteView frame) {
  WACRM_TRY(expect(Step::initial, "on_client_hello"));
  return fail_on_error([&]() -> Status {
    auto hello = WACRM_TRY(decode_client_hello(frame));
    client_ephemeral_ = hello.ephemeral;
    state_.mix_hash(hello.ephemeral);
    step_ = Step::client_hello_received;
    return {};
  }());
}

Result<Bytes> ResponderHandshake::server_hello(const KeyPair& ephemeral, const KeyPair& server_static,
                                               ByteView cert_chain) {
  WACRM_TRY(expect(Step::client_hello_received, "server_hello"));
  return fail_on_error([&]() -> Result<Bytes> {
    ephemeral_ = ephemeral;
    ServerHello hello;
    hello.ephemeral = ephemeral.public_key();
    state_.mix_hash(ephemeral.public_key());
    auto ee = WACRM_TRY(x25519(ephemeral.private_key(), client_ephemeral_));
    WACRM_TRY(state_.mix_key(ee.view()));
    hello.encrypted_static = WACRM_TRY(state_.encrypt_and_hash(server_static.public_key()));
    auto es = WACRM_TRY(x25519(server_static.private_key(), client_ephemeral_));
    WACRM_TRY(state_.mix_key(es.view()));
    hello.encrypted_payload = WACRM_TRY(state_.encrypt_and_hash(cert_chain));
    step_ = Step::server_hello_sent;
    return encode_server_hello(hello);
  }());
}

Result<ClientFinishInfo> ResponderHandshake::on_client_finish(ByteView frame) {
  WACRM_TRY(expect(Step::server_hello_sent, "on_client_finish"));
  return fail_on_error([&]() -> Result<ClientFinishInfo> {
    auto finish = WACRM_TRY(decode_client_finish(frame));
    auto static_bytes = state_.decrypt_and_hash(finish.encrypted_static);
    if (!static_bytes)
      return make_error(Errc::crypto, "ClientFinish: decrypting the client static key failed: " +
                                          static_bytes.error().message);
    ClientFinishInfo info;
    to_public_key(*static_bytes, info.client_static);
    auto se = WACRM_TRY(x25519(ephemeral_->private_key(), *static_bytes));
    WACRM_TRY(state_.mix_key(se.view()));
    auto payload = state_.decrypt_and_hash(finish.encrypted_payload);
    if (!payload)
      return make_error(Errc::crypto, "ClientFinish: decrypting the client payload failed: " +
                                          payload.error().message);
    info.client_payload = std::move(*payload);
    ephemeral_.reset();
    step_ = Step::finished;
    return info;
  }());
}

Result<TransportKeys> ResponderHandshake::split() const {
  if (step_ != Step::finished)
    return make_error(Errc::invalid_argument, "Noise responder: split before the handshake finished");
  auto halves = WACRM_TRY(state_.split());
  // The client sends with the first half, so the server receives with it.
  return TransportKeys{halves.second, halves.first};
}

}  // namespace wacrm::noise
