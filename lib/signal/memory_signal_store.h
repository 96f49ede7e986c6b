// SignalStore in memory: unit tests, benchmarks and the simulator's
// simulated people (tests/wasim), who need real Signal state but no database.
// Not thread-safe, like every SignalStore.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "signal/state_keys.h"
#include "store/signal_store.h"

namespace wacrm::signal {

class MemorySignalStore final : public store::SignalStore {
 public:
  MemorySignalStore() = default;  // local_identity() is not_found until set
  explicit MemorySignalStore(store::SignalLocalIdentity identity) : identity_(std::move(identity)) {}

  void set_local_identity(store::SignalLocalIdentity identity) { identity_ = std::move(identity); }

  // How many records of each kind are held (for tests).
  std::size_t session_count() const { return sessions_.size(); }
  std::size_t pre_key_count() const { return pre_keys_.size(); }
  std::size_t sender_key_count() const { return sender_keys_.size(); }

  Result<store::SignalLocalIdentity> local_identity() override;

  Result<std::optional<Bytes>> load_session(std::string_view name, int device) override;
  Status store_session(std::string_view name, int device, ByteView record) override;
  Result<std::vector<int>> sub_device_sessions(std::string_view name) override;
  Result<bool> delete_session(std::string_view name, int device) override;
  Result<int> delete_all_sessions(std::string_view name) override;

  Result<std::optional<Bytes>> load_pre_key(std::uint32_t id) override;
  Status store_pre_key(std::uint32_t id, ByteView record) override;
  Result<bool> contains_pre_key(std::uint32_t id) override;
  Status remove_pre_key(std::uint32_t id) override;
  Result<std::vector<std::uint32_t>> unuploaded_pre_key_ids() override;
  Status mark_pre_keys_uploaded(std::span<const std::uint32_t> ids) override;

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
  std::optional<store::SignalLocalIdentity> identity_;
  std::map<DeviceKey, Bytes> sessions_;
  std::map<DeviceKey, Bytes> identities_;
  std::map<std::uint32_t, Bytes> pre_keys_;
  std::set<std::uint32_t> uploaded_pre_keys_;
  std::map<std::uint32_t, Bytes> signed_pre_keys_;
  std::map<SenderKeyId, Bytes> sender_keys_;
};

}  // namespace wacrm::signal
