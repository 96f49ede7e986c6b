#include "noise/initiator_handshake.h"

#include <string>

#include "noise/handshake_messages.h"

namespace wacrm::noise {

InitiatorHandshake::InitiatorHandshake(std::uint8_t dict_version) : core_("initiator", dict_version) {}

Result<Bytes> InitiatorHandshake::start(const KeyPair& ephemeral) {
  WACRM_TRY(core_.expect(Step::initial, "start"));
  core_.ephemeral = ephemeral;
  core_.state.mix_hash(ephemeral.public_key());
  core_.advance(Step::hello_sent);
  return encode_client_hello(ClientHello{ephemeral.public_key()});
}

Result<ServerHelloInfo> InitiatorHandshake::on_server_hello(ByteView frame) {
  WACRM_TRY(core_.expect(Step::hello_sent, "on_server_hello"));
  return core_.settle([&]() -> Result<ServerHelloInfo> {
    auto& st = core_.state;
    auto hello = WACRM_TRY(decode_server_hello(frame));
    core_.peer_ephemeral = hello.ephemeral;
    st.mix_hash(hello.ephemeral);
    auto ee = WACRM_TRY(x25519(core_.ephemeral->private_key(), hello.ephemeral));
    WACRM_TRY(st.mix_key(ee.view()));

    auto static_bytes = st.decrypt_and_hash(hello.encrypted_static);
    if (!static_bytes)
      return make_error(Errc::crypto, "ServerHello: decrypting the server static key failed: " +
                                          static_bytes.error().message);
    ServerHelloInfo info;
    to_public_key(*static_bytes, info.server_static);
    auto es = WACRM_TRY(x25519(core_.ephemeral->private_key(), *static_bytes));
    WACRM_TRY(st.mix_key(es.view()));

    auto cert = st.decrypt_and_hash(hello.encrypted_payload);
    if (!cert)
      return make_error(Errc::crypto, "ServerHello: decrypting the certificate payload failed: " +
                                          cert.error().message);
    info.cert_chain = std::move(*cert);
    core_.advance(Step::server_hello_received);
    return info;
  }());
}

Result<Bytes> InitiatorHandshake::client_finish(const KeyPair& noise_static, ByteView client_payload) {
  WACRM_TRY(core_.expect(Step::server_hello_received, "client_finish"));
  return core_.settle([&]() -> Result<Bytes> {
    auto& st = core_.state;
    ClientFinish finish;
    finish.encrypted_static = WACRM_TRY(st.encrypt_and_hash(noise_static.public_key()));
    auto se = WACRM_TRY(x25519(noise_static.private_key(), core_.peer_ephemeral));
    WACRM_TRY(st.mix_key(se.view()));
    finish.encrypted_payload = WACRM_TRY(st.encrypt_and_hash(client_payload));
    core_.ephemeral.reset();  // no longer needed: wipe it now
    core_.advance(Step::finished);
    return encode_client_finish(finish);
  }());
}

Result<TransportKeys> InitiatorHandshake::split() const {
  WACRM_TRY(core_.expect(Step::finished, "split"));
  auto halves = WACRM_TRY(core_.state.split());
  return TransportKeys{halves.first, halves.second};
}

}  // namespace wacrm::noise
