#include "signal/ec_key_codec.h"


namespace wacrm::signal {

SignalResult<SignalPtr<ec_public_key>> decode_wire_public(ByteView wire_key, signal_context* context) {
  auto prefixed = signal_public_key(wire_key);
  if (!prefixed) return make_signal_error(SignalErrc::invalid_key, prefixed.error().message);
  ec_public_key* key = nullptr;
  int rc = curve_decode_point(&key, prefixed->data(), prefixed->size(), context);
  if (rc < 0) return std::unexpected(signal_error_from_code(rc, "decode public key"));
  return SignalPtr<ec_public_key>(key);
}

SignalResult<SignalPtr<ec_private_key>> decode_private(ByteView private_key, signal_context* context) {
  if (private_key.size() != kKeySize)
    return make_signal_error(SignalErrc::invalid_key, "private key has " + std::to_string(private_key.size()) +
                                                          " bytes, expected 32");
  ec_private_key* key = nullptr;
  int rc = curve_decode_private_point(&key, private_key.data(), private_key.size(), context);
  if (rc < 0) return std::unexpected(signal_error_from_code(rc, "decode private key"));
  return SignalPtr<ec_private_key>(key);
}

SignalResult<SignalPtr<ec_key_pair>> decode_key_pair(const KeyPair& pair, signal_context* context) {
  auto pub = decode_wire_public(pair.public_key, context);
  if (!pub) return std::unexpected(pub.error());
  auto priv = decode_private(pair.private_key, context);
  if (!priv) return std::unexpected(priv.error());
  ec_key_pair* key_pair = nullptr;
  // ec_key_pair_create takes its own references.
  int rc = ec_key_pair_create(&key_pair, pub->get(), priv->get());
  if (rc < 0) return std::unexpected(signal_error_from_code(rc, "make key pair"));
  return SignalPtr<ec_key_pair>(key_pair);
}

Bytes encode_wire_public(const ec_public_key* key) {
  signal_buffer* raw = nullptr;
  if (ec_public_key_serialize(&raw, key) < 0) return {};
  BufferPtr buffer(raw);
  Bytes prefixed = to_bytes(buffer.get());
  auto wire = wire_public_key(prefixed);
  return wire ? std::move(*wire) : Bytes{};
}

Bytes encode_private(const ec_private_key* key) {
  signal_buffer* raw = nullptr;
  if (ec_private_key_serialize(&raw, key) < 0) return {};
  BufferPtr buffer(raw);
  return to_bytes(buffer.get());
}

}  // namespace wacrm::signal
