// The Signal protocol state of one linked device, as opaque bytes.
//
// This interface knows nothing of libsignal: records are the library's own
// serialized blobs, handed through unchanged, so lib/store stays independent
// of lib/signal. lib/signal adapts it to libsignal's five store callback
// structs (and buffers writes so that a decryption's state changes can be
// committed together with the stored message; see signal/state_transaction.h).
//
// An address is (name, device): name is the JID user in whatsmeow's scheme
// ("491701234567", "123456789012345_1" for a LID), device the JID device.
// store/pg/pg_signal_store.h implements it on PostgreSQL; signal/
// memory_signal_store.h in memory (tests, the simulator's people).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::store {

// The long-term keys of our own device. Keys are raw 32-byte Curve25519
// values as on the WhatsApp wire (no 0x05 type prefix).
struct SignalLocalIdentity {
  Bytes identity_public;
  Bytes identity_private;
  std::uint32_t registration_id = 0;
  std::uint32_t signed_pre_key_id = 0;
  Bytes signed_pre_key_public;
  Bytes signed_pre_key_private;
  Bytes signed_pre_key_signature;  // 64-byte XEdDSA over 0x05 || public
};

// A remote device, and its session record, for the batch calls.
struct SessionAddress {
  std::string name;
  int device = 0;
};
struct SessionRecord {
  std::string name;
  int device = 0;
  Bytes record;
};

class SignalStore {
 public:
  virtual ~SignalStore() = default;

  // Errc::not_found while the device has no credentials yet.
  virtual Result<SignalLocalIdentity> local_identity() = 0;

  // Sessions: one libsignal session_record per remote device.
  virtual Result<std::optional<Bytes>> load_session(std::string_view name, int device) = 0;
  virtual Status store_session(std::string_view name, int device, ByteView record) = 0;
  // Batches, one round trip on PostgreSQL (a backlog of messages from many
  // people): the sessions stored for any of `addresses` (absent ones left
  // out), and storing several. The defaults call the one-record methods.
  virtual Result<std::vector<SessionRecord>> load_sessions(std::span<const SessionAddress> addresses) {
    std::vector<SessionRecord> found;
    for (const auto& a : addresses)
      if (auto record = WACRM_TRY(load_session(a.name, a.device))) found.push_back({a.name, a.device, std::move(*record)});
    return found;
  }
  virtual Status store_sessions(std::span<const SessionRecord> sessions) {
    for (const auto& s : sessions) WACRM_TRY(store_session(s.name, s.device, s.record));
    return {};
  }
  // Device ids of every stored session of this name, ascending.
  virtual Result<std::vector<int>> sub_device_sessions(std::string_view name) = 0;
  // True when a session was there.
  virtual Result<bool> delete_session(std::string_view name, int device) = 0;
  // The number of sessions deleted.
  virtual Result<int> delete_all_sessions(std::string_view name) = 0;

  // One-time pre-keys (24-bit ids), serialized session_pre_key records.
  virtual Result<std::optional<Bytes>> load_pre_key(std::uint32_t id) = 0;
  virtual Status store_pre_key(std::uint32_t id, ByteView record) = 0;
  virtual Result<bool> contains_pre_key(std::uint32_t id) = 0;
  virtual Status remove_pre_key(std::uint32_t id) = 0;
  // Pre-key upkeep (notes §2.9): ids of stored pre-keys not yet uploaded,
  // ascending; and marking them once the server acknowledged the upload.
  virtual Result<std::vector<std::uint32_t>> unuploaded_pre_key_ids() = 0;
  virtual Status mark_pre_keys_uploaded(std::span<const std::uint32_t> ids) = 0;

  // Signed pre-keys, serialized session_signed_pre_key records. The current
  // one is also described by local_identity(); lib/signal serves it from
  // there when no record is stored under its id.
  virtual Result<std::optional<Bytes>> load_signed_pre_key(std::uint32_t id) = 0;
  virtual Status store_signed_pre_key(std::uint32_t id, ByteView record) = 0;
  virtual Result<bool> contains_signed_pre_key(std::uint32_t id) = 0;
  virtual Status remove_signed_pre_key(std::uint32_t id) = 0;

  // Remote identity keys (33 bytes, 0x05-prefixed, as libsignal hands them).
  virtual Status save_identity(std::string_view name, int device, ByteView key) = 0;
  virtual Result<std::optional<Bytes>> load_identity(std::string_view name, int device) = 0;
  // True when an identity was there.
  virtual Result<bool> delete_identity(std::string_view name, int device) = 0;

  // Sender keys: one sender_key_record per (group JID, sender address).
  virtual Result<std::optional<Bytes>> load_sender_key(std::string_view group, std::string_view name,
                                                       int device) = 0;
  virtual Status store_sender_key(std::string_view group, std::string_view name, int device,
                                  ByteView record) = 0;
};

}  // namespace wacrm::store
