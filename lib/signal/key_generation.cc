#include "signal/key_generation.h"

#include <key_helper.h>
#include <session_pre_key.h>

#include "signal/ec_key_codec.h"
#include "signal/signal_ptr.h"
#include "signal/xeddsa.h"

namespace wacrm::signal {

static Error internal_error(int rc, std::string_view what) { return signal_error_from_code(rc, what); }

Result<KeyPair> generate_key_pair(Context& context) {
  ec_key_pair* raw = nullptr;
  int rc = curve_generate_key_pair(context.get(), &raw);
  if (rc < 0) return std::unexpected(internal_error(rc, "generate key pair"));
  SignalPtr<ec_key_pair> pair(raw);
  return KeyPair{encode_wire_public(ec_key_pair_get_public(pair.get())),
                 encode_private(ec_key_pair_get_private(pair.get()))};
}

Result<std::uint32_t> generate_registration_id(Context& context) {
  std::uint32_t id = 0;
  int rc = signal_protocol_key_helper_generate_registration_id(&id, 0, context.get());
  if (rc < 0) return std::unexpected(internal_error(rc, "generate registration id"));
  return id;
}

Result<SignedPreKey> generate_signed_pre_key(Context& context, const KeyPair& identity, std::uint32_t id) {
  if (id == 0 || id > kMaxPreKeyId)
    return make_error(Errc::invalid_argument, "signed pre-key id " + std::to_string(id) + " is not 24-bit");
  KeyPair key = WACRM_TRY(generate_key_pair(context));
  Bytes signed_form = WACRM_TRY(signal_public_key(key.public_key));
  Bytes signature = WACRM_TRY(xeddsa_sign(context, identity.private_key, signed_form));
  return SignedPreKey{id, std::move(key), std::move(signature)};
}

Result<std::vector<PreKey>> generate_pre_keys(Context& context, std::uint32_t first_id, std::uint32_t count) {
  if (first_id == 0 || first_id > kMaxPreKeyId)
    return make_error(Errc::invalid_argument, "pre-key id " + std::to_string(first_id) + " is not 24-bit");
  std::vector<PreKey> keys;
  keys.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t id = (first_id - 1 + i) % kMaxPreKeyId + 1;
    keys.push_back(PreKey{id, WACRM_TRY(generate_key_pair(context))});
  }
  return keys;
}

Result<store::SignalLocalIdentity> generate_local_identity(Context& context, std::uint32_t signed_pre_key_id) {
  KeyPair identity = WACRM_TRY(generate_key_pair(context));
  std::uint32_t registration_id = WACRM_TRY(generate_registration_id(context));
  SignedPreKey spk = WACRM_TRY(generate_signed_pre_key(context, identity, signed_pre_key_id));
  return store::SignalLocalIdentity{
      .identity_public = std::move(identity.public_key),
      .identity_private = std::move(identity.private_key),
      .registration_id = registration_id,
      .signed_pre_key_id = spk.id,
      .signed_pre_key_public = std::move(spk.key.public_key),
      .signed_pre_key_private = std::move(spk.key.private_key),
      .signed_pre_key_signature = std::move(spk.signature),
  };
}

KeyPair identity_key_pair(const store::SignalLocalIdentity& identity) {
  return KeyPair{identity.identity_public, identity.identity_private};
}

Result<Bytes> pre_key_record(Context& context, const PreKey& pre_key) {
  auto pair = decode_key_pair(pre_key.key, context.get());
  if (!pair) return std::unexpected(pair.error().error);
  session_pre_key* raw = nullptr;
  int rc = session_pre_key_create(&raw, pre_key.id, pair->get());
  if (rc < 0) return std::unexpected(internal_error(rc, "make pre-key record"));
  SignalPtr<session_pre_key> record(raw);
  signal_buffer* serialized = nullptr;
  rc = session_pre_key_serialize(&serialized, record.get());
  if (rc < 0) return std::unexpected(internal_error(rc, "serialize pre-key record"));
  BufferPtr buffer(serialized);
  return to_bytes(buffer.get());
}

Result<PreKey> parse_pre_key_record(Context& context, ByteView record) {
  session_pre_key* raw = nullptr;
  int rc = session_pre_key_deserialize(&raw, record.data(), record.size(), context.get());
  if (rc < 0) return std::unexpected(internal_error(rc, "parse pre-key record"));
  SignalPtr<session_pre_key> pre_key(raw);
  ec_key_pair* pair = session_pre_key_get_key_pair(pre_key.get());
  return PreKey{session_pre_key_get_id(pre_key.get()),
                KeyPair{encode_wire_public(ec_key_pair_get_public(pair)),
                        encode_private(ec_key_pair_get_private(pair))}};
}

Result<Bytes> signed_pre_key_record(Context& context, const SignedPreKey& signed_pre_key,
                                    std::uint64_t timestamp_ms) {
  auto pair = decode_key_pair(signed_pre_key.key, context.get());
  if (!pair) return std::unexpected(pair.error().error);
  session_signed_pre_key* raw = nullptr;
  int rc = session_signed_pre_key_create(&raw, signed_pre_key.id, timestamp_ms, pair->get(),
                                         signed_pre_key.signature.data(), signed_pre_key.signature.size());
  if (rc < 0) return std::unexpected(internal_error(rc, "make signed pre-key record"));
  SignalPtr<session_signed_pre_key> record(raw);
  signal_buffer* serialized = nullptr;
  rc = session_signed_pre_key_serialize(&serialized, record.get());
  if (rc < 0) return std::unexpected(internal_error(rc, "serialize signed pre-key record"));
  BufferPtr buffer(serialized);
  return to_bytes(buffer.get());
}

Status store_pre_keys(Context& context, store::SignalStore& store, std::span<const PreKey> pre_keys) {
  for (const PreKey& pre_key : pre_keys) {
    Bytes record = WACRM_TRY(pre_key_record(context, pre_key));
    WACRM_TRY(store.store_pre_key(pre_key.id, record));
  }
  return {};
}

}  // namespace wacrm::signal
