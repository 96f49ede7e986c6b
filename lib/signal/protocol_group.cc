// Protocol: group messages with sender keys (notes §2.7).
#include "signal/protocol.h"

#include <protocol.h>

#include "signal/c_address.h"
#include "signal/signal_ptr.h"
#include "signal/store_adapter.h"

namespace wacrm::signal {

SignalStatus Protocol::process_sender_key_distribution(std::string_view group, const Address& sender,
                                                       ByteView skdm) {
  std::string what = "process sender key of " + sender.to_string() + " in " + std::string(group);
  if (skdm.empty()) return make_signal_error(SignalErrc::invalid_message, what + ": empty");
  signal_context* ctx = adapter_->context();
  sender_key_distribution_message* raw = nullptr;
  if (int rc = sender_key_distribution_message_deserialize(&raw, skdm.data(), skdm.size(), ctx); rc < 0)
    return std::unexpected(signal_parse_error(rc, what));
  SignalPtr<sender_key_distribution_message> message(raw);
  return all_or_nothing([&]() -> SignalStatus {
    signal_protocol_sender_key_name name = c_sender_key_name(group, sender);
    group_session_builder* builder_raw = nullptr;
    if (int rc = group_session_builder_create(&builder_raw, adapter_->get(), ctx); rc < 0) return failure(rc, what);
    GroupBuilderPtr builder(builder_raw);
    if (int rc = group_session_builder_process_session(builder.get(), &name, message.get()); rc < 0)
      return failure(rc, what);
    return {};
  });
}

SignalResult<Bytes> Protocol::decrypt_skmsg(std::string_view group, const Address& sender, ByteView ciphertext) {
  std::string what = "decrypt skmsg from " + sender.to_string() + " in " + std::string(group);
  if (ciphertext.empty()) return make_signal_error(SignalErrc::invalid_message, what + ": empty");
  signal_context* ctx = adapter_->context();
  return all_or_nothing<Bytes>([&]() -> SignalResult<Bytes> {
    sender_key_message* raw = nullptr;
    if (int rc = sender_key_message_deserialize(&raw, ciphertext.data(), ciphertext.size(), ctx); rc < 0)
      return std::unexpected(signal_parse_error(rc, what));
    SignalPtr<sender_key_message> message(raw);
    signal_protocol_sender_key_name name = c_sender_key_name(group, sender);
    group_cipher* cipher_raw = nullptr;
    if (int rc = group_cipher_create(&cipher_raw, adapter_->get(), &name, ctx); rc < 0) return failure(rc, what);
    GroupCipherPtr cipher(cipher_raw);
    signal_buffer* out = nullptr;
    if (int rc = group_cipher_decrypt(cipher.get(), message.get(), nullptr, &out); rc < 0) return failure(rc, what);
    BufferPtr buffer(out);
    return to_bytes(buffer.get());
  });
}

SignalResult<Bytes> Protocol::create_own_sender_key(std::string_view group, const Address& own) {
  std::string what = "create own sender key in " + std::string(group);
  return all_or_nothing<Bytes>([&]() -> SignalResult<Bytes> {
    signal_protocol_sender_key_name name = c_sender_key_name(group, own);
    group_session_builder* builder_raw = nullptr;
    if (int rc = group_session_builder_create(&builder_raw, adapter_->get(), adapter_->context()); rc < 0)
      return failure(rc, what);
    GroupBuilderPtr builder(builder_raw);
    sender_key_distribution_message* message_raw = nullptr;
    if (int rc = group_session_builder_create_session(builder.get(), &message_raw, &name); rc < 0)
      return failure(rc, what);
    SignalPtr<sender_key_distribution_message> message(message_raw);
    // Every libsignal message type starts with the ciphertext_message base.
    return to_bytes(ciphertext_message_get_serialized(reinterpret_cast<ciphertext_message*>(message.get())));
  });
}

SignalResult<Bytes> Protocol::group_encrypt(std::string_view group, const Address& own, ByteView padded_plaintext) {
  std::string what = "encrypt for group " + std::string(group);
  return all_or_nothing<Bytes>([&]() -> SignalResult<Bytes> {
    signal_protocol_sender_key_name name = c_sender_key_name(group, own);
    group_cipher* cipher_raw = nullptr;
    if (int rc = group_cipher_create(&cipher_raw, adapter_->get(), &name, adapter_->context()); rc < 0)
      return failure(rc, what);
    GroupCipherPtr cipher(cipher_raw);
    ciphertext_message* message_raw = nullptr;
    if (int rc = group_cipher_encrypt(cipher.get(), padded_plaintext.data(), padded_plaintext.size(), &message_raw);
        rc < 0)
      return failure(rc, what);
    SignalPtr<ciphertext_message> message(message_raw);
    return to_bytes(ciphertext_message_get_serialized(message.get()));
  });
}

}  // namespace wacrm::signal
