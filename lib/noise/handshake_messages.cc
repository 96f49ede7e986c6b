#include "noise/handshake_messages.h"

#include <string>

#include "noise/aes_gcm.h"
#include "wa/handshake.pb.h"

namespace wacrm::noise {
namespace {

constexpr std::size_t kEncryptedKeySize = kKeySize + kGcmTagSize;

Bytes serialize(const wa::HandshakeMessage& message) {
  Bytes out(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(out.data());
  return out;
}

Result<wa::HandshakeMessage> parse(ByteView frame, const char* expected) {
  wa::HandshakeMessage message;
  if (frame.size() > static_cast<std::size_t>(INT32_MAX) ||
      !message.ParseFromArray(frame.data(), static_cast<int>(frame.size())))
    return make_error(Errc::malformed, std::string(expected) + ": the frame is not a HandshakeMessage protobuf");
  return message;
}

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::string length_error(const char* what, std::size_t got, std::size_t want) {
  return std::string(what) + " is " + std::to_string(got) + " bytes, expected " + std::to_string(want);
}

}  // namespace

Bytes encode_client_hello(const ClientHello& hello) {
  wa::HandshakeMessage message;
  message.mutable_client_hello()->set_ephemeral(hello.ephemeral.data(), hello.ephemeral.size());
  return serialize(message);
}

Result<ClientHello> decode_client_hello(ByteView frame) {
  auto message = WACRM_TRY(parse(frame, "ClientHello"));
  if (!message.has_client_hello())
    return make_error(Errc::protocol, "expected a ClientHello, the HandshakeMessage has none");
  const auto& eph = message.client_hello().ephemeral();
  ClientHello hello;
  if (!to_public_key(as_bytes(eph), hello.ephemeral))
    return make_error(Errc::malformed, length_error("ClientHello ephemeral key", eph.size(), kKeySize));
  return hello;
}

Bytes encode_server_hello(const ServerHello& hello) {
  wa::HandshakeMessage message;
  auto* sh = message.mutable_server_hello();
  sh->set_ephemeral(hello.ephemeral.data(), hello.ephemeral.size());
  sh->set_static_(hello.encrypted_static.data(), hello.encrypted_static.size());
  sh->set_payload(hello.encrypted_payload.data(), hello.encrypted_payload.size());
  return serialize(message);
}

Result<ServerHello> decode_server_hello(ByteView frame) {
  auto message = WACRM_TRY(parse(frame, "ServerHello"));
  if (!message.has_server_hello())
    return make_error(Errc::protocol, "expected a ServerHello, the HandshakeMessage has none");
  const auto& sh = message.server_hello();
  ServerHello hello;
  if (!to_public_key(as_bytes(sh.ephemeral()), hello.ephemeral))
    return make_error(Errc::malformed, length_error("ServerHello ephemeral key", sh.ephemeral().size(), kKeySize));
  if (sh.static_().size() != kEncryptedKeySize)
    return make_error(Errc::malformed,
                      length_error("ServerHello encrypted static key", sh.static_().size(), kEncryptedKeySize));
  if (!sh.has_payload() || sh.payload().size() < kGcmTagSize)
    return make_error(Errc::malformed, "ServerHello payload is missing or shorter than its 16-byte tag");
  hello.encrypted_static = to_bytes(sh.static_());
  hello.encrypted_payload = to_bytes(sh.payload());
  return hello;
}

Bytes encode_client_finish(const ClientFinish& finish) {
  wa::HandshakeMessage message;
  auto* cf = message.mutable_client_finish();
  cf->set_static_(finish.encrypted_static.data(), finish.encrypted_static.size());
  cf->set_payload(finish.encrypted_payload.data(), finish.encrypted_payload.size());
  return serialize(message);
}

Result<ClientFinish> decode_client_finish(ByteView frame) {
  auto message = WACRM_TRY(parse(frame, "ClientFinish"));
  if (!message.has_client_finish())
    return make_error(Errc::protocol, "expected a ClientFinish, the HandshakeMessage has none");
  const auto& cf = message.client_finish();
  if (cf.static_().size() != kEncryptedKeySize)
    return make_error(Errc::malformed,
                      length_error("ClientFinish encrypted static key", cf.static_().size(), kEncryptedKeySize));
  if (!cf.has_payload() || cf.payload().size() < kGcmTagSize)
    return make_error(Errc::malformed, "ClientFinish payload is missing or shorter than its 16-byte tag");
  return ClientFinish{to_bytes(cf.static_()), to_bytes(cf.payload())};
}

}  // namespace wacrm::noise
