#include "noise/responder_handshake.h"

#include <string>

#include "noise/handshake_messages.h"

namespace wacrm::noise {

ResponderHandshake::ResponderHandshake(std::uint8_t dict_version) : core_("responder", dict_version) {}

Status ResponderHandshake::on_client_hello(ByteView frame) {
  WACRM_TRY(core_.expect(Step::initial, "on_client_hello"));
  return core_.settle([&]() -> Status {
    auto hello = WACRM_TRY(decode_client_hello(frame));
    core_.peer_ephemeral = hello.ephemeral;
    core_.state.mix_hash(hello.ephemeral);
    core_.advance(Step::client_hello_received);
    return {};
  }());
}

Result<Bytes> ResponderHandshake::server_hello(const KeyPair& ephemeral, const KeyPair& server_static,
                                               ByteView cert_chain) {
  WACRM_TRY(core_.expect(Step::client_hello_received, "server_hello"));
  return core_.settle([&]() -> Result<Bytes> {
    auto& st = core_.state;
    core_.ephemeral = ephemeral;
    ServerHello hello;
    hello.ephemeral = ephemeral.public_key();
    st.mix_hash(ephemeral.public_key());
    auto ee = WACRM_TRY(x25519(ephemeral.private_key(), core_.peer_ephemeral));
    WACRM_TRY(st.mix_key(ee.view()));
    hello.encrypted_static = WACRM_TRY(st.encrypt_and_hash(server_static.public_key()));
    auto es = WACRM_TRY(x25519(server_static.private_key(), core_.peer_ephemeral));
    WACRM_TRY(st.mix_key(es.view()));
    hello.encrypted_payload = WACRM_TRY(st.encrypt_and_hash(cert_chain));
    core_.advance(Step::server_hello_sent);
    return encode_server_hello(hello);
  }());
}

Result<ClientFinishInfo> ResponderHandshake::on_client_finish(ByteView frame) {
  WACRM_TRY(core_.expect(Step::server_hello_sent, "on_client_finish"));
  return core_.settle([&]() -> Result<ClientFinishInfo> {
    auto& st = core_.state;
    auto finish = WACRM_TRY(decode_client_finish(frame));
    auto static_bytes = st.decrypt_and_hash(finish.encrypted_static);
    if (!static_bytes)
      return make_error(Errc::crypto, "ClientFinish: decrypting the client static key failed: " +
                                          static_bytes.error().message);
    ClientFinishInfo info;
    to_public_key(*static_bytes, info.client_static);
    auto se = WACRM_TRY(x25519(core_.ephemeral->private_key(), *static_bytes));
    WACRM_TRY(st.mix_key(se.view()));
    auto payload = st.decrypt_and_hash(finish.encrypted_payload);
    if (!payload)
      return make_error(Errc::crypto, "ClientFinish: decrypting the client payload failed: " +
                                          payload.error().message);
    info.client_payload = std::move(*payload);
    core_.ephemeral.reset();
    core_.advance(Step::finished);
    return info;
  }());
}

Result<TransportKeys> ResponderHandshake::split() const {
  WACRM_TRY(core_.expect(Step::finished, "split"));
  auto halves = WACRM_TRY(core_.state.split());
  // The client sends with the first half, so the server receives with it.
  return TransportKeys{halves.second, halves.first};
}

}  // namespace wacrm::noise
