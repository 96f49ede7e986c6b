// A write-buffering overlay over a SignalStore: the heart of "nothing lost".
//
// A decryption advances Signal state (the session's ratchet, a consumed
// one-time pre-key, a sender key's chain, a remote identity). That state and
// the message it decrypted must reach PostgreSQL together, and the server
// may be acked only after both are committed: if the process dies in
// between, the server redelivers, and the redelivered ciphertext must still
// decrypt against the *old* state.
//
// The contract:
//   1. Make a StateTransaction over the persistent store and run Signal
//      operations on it (signal::Protocol). Reads see the overlay first,
//      then the store; every write and delete stays in the overlay.
//   2. Open a database transaction; write the message; call
//      flush_to(store bound to that transaction) -- a PgSignalStore on the
//      same connection; commit.
//   3. Only after the commit succeeded: clear() (the state now lives in the
//      store), then send the receipt/ack.
//   If the message write, the flush or the commit fails: roll back and
//   clear(). Nothing of the decryption reached the store; the redelivered
//   message decrypts again (the one-time pre-key is still there).
//
// flush_to never clears the overlay, so a failed commit loses nothing that
// was persisted before. The overlay also caches what it read from the store
// (a session read twice per message costs one query); clear() drops that
// too, so keep one StateTransaction per stanza (or per batch committed
// together), not one per connection.
//
// Not thread-safe. The underlying store must outlive this object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>

#include "signal/state_keys.h"
#include "store/signal_store.h"

namespace wacrm::signal {

class StateTransaction final : public store::SignalStore {
 public:
  explicit StateTransaction(store::SignalStore& base) : base_(base) {}
  StateTransaction(const StateTransaction&) = delete;
  StateTransaction& operator=(const StateTransaction&) = delete;

  // Writes every buffered change (stores and deletes) to target. Stops at
  // the first failure; the overlay is unchanged either way.
  Status flush_to(store::SignalStore& target) const;
  // Reads the sessions of `addresses` that the overlay does not know yet in
  // one go (a batch of stanzas from many people), as load_session would one
  // by one.
  Status preload_sessions(std::span<const store::SessionAddress> addresses);
  // Forgets buffered changes and cached reads.
  void clear();
  // Number of buffered changes (0: nothing to flush).
  std::size_t pending_changes() const;

  Result<store::SignalLocalIdentity> local_identity() override { return base_.local_identity(); }

  Result<std::optional<Bytes>> load_session(std::string_view name, int device) override;
  Status store_session(std::string_view name, int device, ByteView record) override;
  Result<std::vector<int>> sub_device_sessions(std::string_view name) override;
  Result<bool> delete_session(std::string_view name, int device) override;
  Result<int> delete_all_sessions(std::string_view name) override;

  Result<std::optional<Bytes>> load_pre_key(std::uint32_t id) override;
  Status store_pre_key(std::uint32_t id, ByteView record) override;
  Result<bool> contains_pre_key(std::uint32_t id) override;
  Status remove_pre_key(std::uint32_t id) override;
  // Upload bookkeeping is not Signal state a decryption advances: these go
  // straight to the underlying store, unbuffered.
  Result<std::vector<std::uint32_t>> unuploaded_pre_key_ids() override { return base_.unuploaded_pre_key_ids(); }
  Status mark_pre_keys_uploaded(std::span<const std::uint32_t> ids) override {
    return base_.mark_pre_keys_uploaded(ids);
  }

  Result<std::optional<Bytes>> load_signed_pre_key(std::uint32_t id) override;
  Status store_signed_pre_key(std::uint32_t id, ByteView record) override;
  Result<bool> contains_signed_pre_key(std::uint32_t id) override;
  Status remove_signed_pre_key(std::uint32_t id) override;

  Status save_identity(std::string_view name, int device, ByteView key) override;
  Result<std::optional<Bytes>> load_identity(std::string_view name, int device) override;
  Result<bool> delete_identity(std::string_view name, int device) override;

  Result<std::optional<Bytes>> load_sender_key(std::string_view group, std::string_view name,
                                               int device) override;
  Status store_sender_key(std::string_view group, std::string_view name, int device,
                          ByteView record) override;

 private:
  // What the overlay knows of one record: its value (nullopt: absent or
  // deleted) and whether that is a change to flush or a cached read.
  struct Entry {
    std::optional<Bytes> value;
    bool dirty = false;
  };
  template <class Key>
  using Layer = std::map<Key, Entry>;

  template <class Key, class Load>
  static Result<std::optional<Bytes>> read(Layer<Key>& layer, const Key& key, Load&& load);
  template <class Key>
  static void write(Layer<Key>& layer, const Key& key, std::optional<Bytes> value);

  store::SignalStore& base_;
  Layer<DeviceKey> sessions_;
  Layer<DeviceKey> identities_;
  Layer<std::uint32_t> pre_keys_;
  Layer<std::uint32_t> signed_pre_keys_;
  Layer<SenderKeyId> sender_keys_;
};

}  // namespace wacrm::signal
