// The Signal operations WhatsApp needs (notes §2.4), over libsignal-protocol-c.
//
// A Protocol works on one SignalStore for one local device. Give it a
// StateTransaction (signal/state_transaction.h) when the state changes must
// be committed together with something else -- the daemon's incoming
// messages -- or any SignalStore when writing straight through is fine (the
// simulator's people, tests).
//
// Each operation is all-or-nothing on that store: its state changes are
// gathered first and written only when it succeeds, so a failed decryption
// (bad MAC, unknown pre-key...) leaves no trace, not even the remote
// identity a pkmsg carried.
//
// Plaintexts are WhatsApp-padded (signal/padding.h): encrypt takes padded
// bytes, decrypt returns them still padded (v="3" payloads carry none).
// Addresses come from signal_address_for(). Not thread-safe: serialize all
// Signal work of one account, as WhatsApp requires anyway (notes §1.4).
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "signal/address.h"
#include "signal/bundle.h"
#include "signal/context.h"
#include "signal/errors.h"
#include "signal/trust_policy.h"
#include "store/signal_store.h"

namespace wacrm::signal {

// The <enc type="..."> of a ciphertext.
enum class MessageType { pkmsg, msg, skmsg };
std::string_view message_type_name(MessageType type);

struct Ciphertext {
  MessageType type = MessageType::msg;
  Bytes bytes;
};

class StoreAdapter;

class Protocol {
 public:
  // context and store must outlive the Protocol and stay where they are.
  Protocol(Context& context, store::SignalStore& store, TrustPolicy trust = TrustPolicy::accept_changes);
  ~Protocol();
  Protocol(Protocol&&) noexcept;
  Protocol& operator=(Protocol&&) noexcept;

  // --- one-to-one
  // A PreKeySignalMessage: sets up the session (consuming the one-time
  // pre-key it names) and decrypts. A redelivered pkmsg whose session is
  // already stored fails with duplicate_message.
  SignalResult<Bytes> decrypt_pkmsg(const Address& sender, ByteView ciphertext);
  // A SignalMessage on an existing session (no_session otherwise).
  SignalResult<Bytes> decrypt_msg(const Address& sender, ByteView ciphertext);
  SignalResult<bool> has_session(const Address& remote);
  // Starts a session from a fetched bundle (verifies the signed pre-key's
  // signature: invalid_key when wrong). The next encrypt gives a pkmsg.
  SignalStatus build_session_from_bundle(const Address& remote, const PreKeyBundle& bundle);
  // pkmsg until the other side has answered, msg afterwards.
  SignalResult<Ciphertext> encrypt(const Address& remote, ByteView padded_plaintext);

  // --- groups; `group` is the chat JID string ("1203...@g.us", "status@broadcast")
  // Takes in a SenderKeyDistributionMessage (the bytes of
  // Message.senderKeyDistributionMessage.axolotlSenderKeyDistributionMessage).
  SignalStatus process_sender_key_distribution(std::string_view group, const Address& sender, ByteView skdm);
  // A SenderKeyMessage (no_session when we lack the sender's key).
  SignalResult<Bytes> decrypt_skmsg(std::string_view group, const Address& sender, ByteView ciphertext);
  // Our own sender key for the group (made on first use): the SKDM bytes to
  // send to every member device.
  SignalResult<Bytes> create_own_sender_key(std::string_view group, const Address& own);
  // An skmsg under our own sender key (no_session before create_own_sender_key).
  SignalResult<Bytes> group_encrypt(std::string_view group, const Address& own, ByteView padded_plaintext);

  // Addresses whose identity key changed and was accepted since this
  // Protocol was made (TrustPolicy::accept_changes), oldest first.
  const std::vector<Address>& identity_changes() const;

 private:
  // Runs op against a scratch overlay and writes its changes to the store
  // only if it succeeded.
  SignalStatus all_or_nothing(const std::function<SignalStatus()>& op);
  template <class T>
  SignalResult<T> all_or_nothing(const std::function<SignalResult<T>()>& op) {
    T value{};
    auto status = all_or_nothing([&]() -> SignalStatus {
      auto result = op();
      if (!result) return std::unexpected(std::move(result).error());
      value = std::move(*result);
      return {};
    });
    if (!status) return std::unexpected(std::move(status).error());
    return value;
  }
  // Wraps a negative libsignal result (or a store failure behind it).
  std::unexpected<SignalError> failure(int rc, std::string_view what);

  store::SignalStore* store_;
  std::unique_ptr<StoreAdapter> adapter_;
};

}  // namespace wacrm::signal
