// Protocol: construction, the all-or-nothing wrapper and one-to-one sessions.
// Group operations are in protocol_group.cc.
#include "signal/protocol.h"

#include <protocol.h>
#include <session_pre_key.h>

#include "signal/c_address.h"
#include "signal/ec_key_codec.h"
#include "signal/signal_ptr.h"
#include "signal/state_transaction.h"
#include "signal/store_adapter.h"

namespace wacrm::signal {

std::string_view message_type_name(MessageType type) {
  switch (type) {
    case MessageType::pkmsg: return "pkmsg";
    case MessageType::msg: return "msg";
    case MessageType::skmsg: return "skmsg";
  }
  return "unknown";
}

Protocol::Protocol(Context& context, store::SignalStore& store, TrustPolicy trust)
    : store_(&store), adapter_(std::make_unique<StoreAdapter>(context, store, trust)) {}
Protocol::~Protocol() = default;
Protocol::Protocol(Protocol&&) noexcept = default;
Protocol& Protocol::operator=(Protocol&&) noexcept = default;

const std::vector<Address>& Protocol::identity_changes() const { return adapter_->identity_changes(); }

std::unexpected<SignalError> Protocol::failure(int rc, std::string_view what) {
  return std::unexpected(adapter_->error_for(rc, what));
}

SignalStatus Protocol::all_or_nothing(const std::function<SignalStatus()>& op) {
  StateTransaction scratch(*store_);
  std::size_t changes_before = adapter_->identity_changes().size();
  // Re-points the callbacks at the real store however op ends.
  struct Rebind {
    StoreAdapter& adapter;
    store::SignalStore& store;
    ~Rebind() { adapter.bind(store); }
  } rebind{*adapter_, *store_};
  adapter_->bind(scratch);

  SignalStatus result = op();
  if (result) {
    if (auto flushed = scratch.flush_to(*store_); !flushed)
      result = std::unexpected(signal_error_from_store(flushed.error(), "write Signal state"));
  }
  if (!result) adapter_->identity_changes().resize(changes_before);
  return result;
}

namespace {

// Deserializes a one-to-one message (pkmsg or msg) and decrypts it with a
// session cipher for the sender.
template <class Message>
SignalResult<Bytes> decrypt_with_session(StoreAdapter& adapter, const Address& sender, ByteView ciphertext,
                                         const std::string& what,
                                         int (*deserialize)(Message**, const uint8_t*, size_t, signal_context*),
                                         int (*decrypt)(session_cipher*, Message*, void*, signal_buffer**)) {
  if (ciphertext.empty()) return make_signal_error(SignalErrc::invalid_message, what + ": empty");
  Message* raw = nullptr;
  if (int rc = deserialize(&raw, ciphertext.data(), ciphertext.size(), adapter.context()); rc < 0)
    return std::unexpected(signal_parse_error(rc, what));
  SignalPtr<Message> message(raw);
  signal_protocol_address address = c_address(sender);
  session_cipher* cipher_raw = nullptr;
  if (int rc = session_cipher_create(&cipher_raw, adapter.get(), &address, adapter.context()); rc < 0)
    return std::unexpected(adapter.error_for(rc, what));
  SessionCipherPtr cipher(cipher_raw);
  signal_buffer* out = nullptr;
  if (int rc = decrypt(cipher.get(), message.get(), nullptr, &out); rc < 0)
    return std::unexpected(adapter.error_for(rc, what));
  BufferPtr buffer(out);
  return to_bytes(buffer.get());
}

}  // namespace

SignalResult<Bytes> Protocol::decrypt_pkmsg(const Address& sender, ByteView ciphertext) {
  return all_or_nothing<Bytes>([&] {
    return decrypt_with_session(*adapter_, sender, ciphertext, "decrypt pkmsg from " + sender.to_string(),
                                pre_key_signal_message_deserialize, session_cipher_decrypt_pre_key_signal_message);
  });
}

SignalResult<Bytes> Protocol::decrypt_msg(const Address& sender, ByteView ciphertext) {
  return all_or_nothing<Bytes>([&] {
    return decrypt_with_session(*adapter_, sender, ciphertext, "decrypt msg from " + sender.to_string(),
                                signal_message_deserialize, session_cipher_decrypt_signal_message);
  });
}

SignalResult<bool> Protocol::has_session(const Address& remote) {
  signal_protocol_address address = c_address(remote);
  int rc = signal_protocol_session_contains_session(adapter_->get(), &address);
  if (rc < 0) return failure(rc, "look up session of " + remote.to_string());
  return rc == 1;
}

SignalStatus Protocol::build_session_from_bundle(const Address& remote, const PreKeyBundle& bundle) {
  std::string what = "build session with " + remote.to_string();
  if (bundle.signed_pre_key.signature.size() != kSignatureSize)
    return make_signal_error(SignalErrc::invalid_key, what + ": signature is not 64 bytes");
  signal_context* ctx = adapter_->context();
  auto identity = decode_wire_public(bundle.identity_key, ctx);
  if (!identity) return std::unexpected(identity.error());
  auto signed_pre_key = decode_wire_public(bundle.signed_pre_key.public_key, ctx);
  if (!signed_pre_key) return std::unexpected(signed_pre_key.error());
  SignalPtr<ec_public_key> pre_key;
  if (bundle.pre_key) {
    auto decoded = decode_wire_public(bundle.pre_key->public_key, ctx);
    if (!decoded) return std::unexpected(decoded.error());
    pre_key = std::move(*decoded);
  }
  session_pre_key_bundle* bundle_raw = nullptr;
  int rc = session_pre_key_bundle_create(&bundle_raw, bundle.registration_id, bundle.device_id,
                                         bundle.pre_key ? bundle.pre_key->id : 0, pre_key.get(),
                                         bundle.signed_pre_key.id, signed_pre_key->get(),
                                         bundle.signed_pre_key.signature.data(),
                                         bundle.signed_pre_key.signature.size(), identity->get());
  if (rc < 0) return failure(rc, what);
  SignalPtr<session_pre_key_bundle> c_bundle(bundle_raw);

  return all_or_nothing([&]() -> SignalStatus {
    signal_protocol_address address = c_address(remote);
    session_builder* builder_raw = nullptr;
    if (int rc = session_builder_create(&builder_raw, adapter_->get(), &address, ctx); rc < 0)
      return failure(rc, what);
    SessionBuilderPtr builder(builder_raw);
    if (int rc = session_builder_process_pre_key_bundle(builder.get(), c_bundle.get()); rc < 0)
      return failure(rc, what);
    return {};
  });
}

SignalResult<Ciphertext> Protocol::encrypt(const Address& remote, ByteView padded_plaintext) {
  std::string what = "encrypt for " + remote.to_string();
  return all_or_nothing<Ciphertext>([&]() -> SignalResult<Ciphertext> {
    // Without a session libsignal would fail with a bare SG_ERR_UNKNOWN.
    bool session = WACRM_TRY(has_session(remote));
    if (!session) return make_signal_error(SignalErrc::no_session, what + ": no session");
    signal_protocol_address address = c_address(remote);
    session_cipher* cipher_raw = nullptr;
    if (int rc = session_cipher_create(&cipher_raw, adapter_->get(), &address, adapter_->context()); rc < 0)
      return failure(rc, what);
    SessionCipherPtr cipher(cipher_raw);
    ciphertext_message* message_raw = nullptr;
    if (int rc = session_cipher_encrypt(cipher.get(), padded_plaintext.data(), padded_plaintext.size(), &message_raw);
        rc < 0)
      return failure(rc, what);
    SignalPtr<ciphertext_message> message(message_raw);
    MessageType type =
        ciphertext_message_get_type(message.get()) == CIPHERTEXT_PREKEY_TYPE ? MessageType::pkmsg : MessageType::msg;
    return Ciphertext{type, to_bytes(ciphertext_message_get_serialized(message.get()))};
  });
}

}  // namespace wacrm::signal
