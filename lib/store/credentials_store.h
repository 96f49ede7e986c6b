// The long-term secrets of one linked companion device, and the pairing
// result that makes them an account's device (protocol notes 01 §3.5, §6.7).
//
// The session layer (lib/wa) generates the keys in memory before the first
// registration and writes them only together with a successful pairing
// (save_linked), so a refused pairing leaves nothing behind. A logged-out
// device is wiped (wipe): its keys and every Signal record go, the account's
// messages and CRM data stay.
//
// Pre-key bookkeeping: the one-time pre-key records themselves live in the
// Signal store (store/signal_store.h: store_pre_key, unuploaded_pre_key_ids,
// mark_pre_keys_uploaded); this store keeps the next id to allocate and
// whether the server has ever received a batch.
//
// store/pg/pg_credentials_store.h implements it on PostgreSQL
// (device_credentials and accounts of migrations/001). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "store/signal_store.h"

namespace wacrm::store {

// What pairing taught us (notes 01 §6.4–6.7).
struct LinkedDevice {
  std::string jid;              // own PN device JID, "15551234567:12@s.whatsapp.net"
  std::string lid;              // own LID device JID, "123…:12@lid"; empty if the server sent none
  Bytes adv_signed_identity;    // ADVSignedDeviceIdentity with account signature key and our device signature
  std::string platform;         // the phone's platform ("android", "smba", …)
  std::string business_name;    // empty unless a business account
};

struct DeviceCredentials {
  Bytes noise_private;          // X25519, 32 bytes (clamped)
  Bytes noise_public;
  SignalLocalIdentity identity; // identity key pair, registration id, signed pre-key
  Bytes adv_secret;             // 32 random bytes, shown in the QR
  std::optional<LinkedDevice> linked;
  std::uint32_t next_pre_key_id = 1;  // every one-time pre-key id below this exists or existed
  bool server_has_pre_keys = false;   // a pre-key upload succeeded at least once
};

class CredentialsStore {
 public:
  virtual ~CredentialsStore() = default;

  // nullopt while the account has no linked device.
  virtual Result<std::optional<DeviceCredentials>> load() = 0;

  // Stores the keys and the pairing result at once and marks the account
  // linked (accounts.jid, lid, link_state, linked_at). Atomic: all or nothing.
  // Errc::invalid_argument when credentials.linked is empty; Errc::not_found
  // when the account no longer exists.
  virtual Status save_linked(const DeviceCredentials& credentials) = 0;

  // The server told us our LID at login (<success lid>), and it differs.
  virtual Status update_lid(std::string_view lid) = 0;

  virtual Status set_next_pre_key_id(std::uint32_t next_id) = 0;
  virtual Status set_server_has_pre_keys(bool value) = 0;

  // Deletes the device's keys and all its Signal state (sessions, pre-keys,
  // identities, sender keys) and marks the account logged out with `reason`.
  // Atomic. Keeps the account's messages, contacts and notes.
  virtual Status wipe(std::string_view reason) = 0;
};

}  // namespace wacrm::store
