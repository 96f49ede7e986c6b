// The primary phone (device 0) of one simulated account, as far as Signal
// goes: its own store (identity, signed pre-key, one-time pre-keys with their
// private halves) and sessions with the devices it talks to. It encrypts what
// a simulated person sends and decrypts what companions send to the phone.
//
// Sessions are restored from the account's phone_sessions and handed back by
// export_sessions() for the state file.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "signal/bundle.h"
#include "signal/context.h"
#include "signal/memory_signal_store.h"
#include "signal/protocol.h"
#include "wasim/account.h"

namespace wacrm::wasim {

class SimulatedPhone {
 public:
  SimulatedPhone(signal::Context& context, Account& account);

  // Encrypts padded plaintext for `remote`; when there is no session yet,
  // `fetch_bundle` is called once (it hands out a one-time pre-key, as the
  // server would to a real phone).
  using BundleSource = std::function<Result<signal::PreKeyBundle>()>;
  Result<signal::Ciphertext> encrypt(const signal::Address& remote, ByteView padded, const BundleSource& fetch_bundle);
  // Decrypts a pkmsg/msg from `sender`; returns the plaintext with the
  // padding removed. One-time pre-keys the pkmsg used are dropped from the
  // account as well.
  signal::SignalResult<Bytes> decrypt(const signal::Address& sender, signal::MessageType type, ByteView ciphertext);

  // A fresh session from the keys a retry receipt carried (replacing any
  // session held with `remote`): the next encrypt gives a pkmsg.
  Status start_session(const signal::Address& remote, const signal::PreKeyBundle& bundle);

  // Groups: this phone's sender key for `group` (made on first use) as the
  // SKDM bytes every member device needs, and an skmsg under it.
  Result<Bytes> sender_key_distribution(std::string_view group);
  Result<Bytes> group_encrypt(std::string_view group, ByteView padded);

  // Puts one-time pre-keys of the account that the store lacks into it.
  Status sync_pre_keys();
  // The sessions (and remote identities) held with any of `candidates`.
  std::vector<PhoneSession> export_sessions(const std::vector<signal::Address>& candidates);

 private:
  signal::Context& context_;
  Account& account_;
  signal::MemorySignalStore store_;
  signal::Protocol protocol_;
};

// The Signal address of a device JID's user/server/device.
Result<signal::Address> address_of(const wire::Jid& jid);

}  // namespace wacrm::wasim
