#include "signal/memory_signal_store.h"

#include <climits>

namespace wacrm::signal {

namespace {

template <class Map, class Key>
std::optional<Bytes> find(const Map& map, const Key& key) {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

// The [first, last) range of a map keyed by DeviceKey holding `name`.
template <class Map>
auto devices_of(Map& map, std::string_view name) {
  auto first = map.lower_bound(DeviceKey{std::string(name), INT_MIN});
  auto last = first;
  while (last != map.end() && last->first.name == name) ++last;
  return std::pair(first, last);
}

}  // namespace

Result<store::SignalLocalIdentity> MemorySignalStore::local_identity() {
  if (!identity_) return make_error(Errc::not_found, "no local Signal identity");
  return *identity_;
}

Result<std::optional<Bytes>> MemorySignalStore::load_session(std::string_view name, int device) {
  return find(sessions_, device_key(name, device));
}

Status MemorySignalStore::store_session(std::string_view name, int device, ByteView record) {
  sessions_[device_key(name, device)] = Bytes(record.begin(), record.end());
  return {};
}

Result<std::vector<int>> MemorySignalStore::sub_device_sessions(std::string_view name) {
  std::vector<int> devices;
  auto [first, last] = devices_of(sessions_, name);
  for (auto it = first; it != last; ++it) devices.push_back(it->first.device);
  return devices;
}

Result<bool> MemorySignalStore::delete_session(std::string_view name, int device) {
  return sessions_.erase(device_key(name, device)) > 0;
}

Result<int> MemorySignalStore::delete_all_sessions(std::string_view name) {
  auto [first, last] = devices_of(sessions_, name);
  int count = static_cast<int>(std::distance(first, last));
  sessions_.erase(first, last);
  return count;
}

Result<std::optional<Bytes>> MemorySignalStore::load_pre_key(std::uint32_t id) { return find(pre_keys_, id); }

Status MemorySignalStore::store_pre_key(std::uint32_t id, ByteView record) {
  pre_keys_[id] = Bytes(record.begin(), record.end());
  return {};
}

Result<bool> MemorySignalStore::contains_pre_key(std::uint32_t id) { return pre_keys_.contains(id); }

Status MemorySignalStore::remove_pre_key(std::uint32_t id) {
  pre_keys_.erase(id);
  uploaded_pre_keys_.erase(id);
  return {};
}

Result<std::vector<std::uint32_t>> MemorySignalStore::unuploaded_pre_key_ids() {
  std::vector<std::uint32_t> ids;
  for (const auto& [id, record] : pre_keys_)
    if (!uploaded_pre_keys_.contains(id)) ids.push_back(id);
  return ids;
}

Status MemorySignalStore::mark_pre_keys_uploaded(std::span<const std::uint32_t> ids) {
  for (std::uint32_t id : ids)
    if (pre_keys_.contains(id)) uploaded_pre_keys_.insert(id);
  return {};
}

Result<std::optional<Bytes>> MemorySignalStore::load_signed_pre_key(std::uint32_t id) {
  return find(signed_pre_keys_, id);
}

Status MemorySignalStore::store_signed_pre_key(std::uint32_t id, ByteView record) {
  signed_pre_keys_[id] = Bytes(record.begin(), record.end());
  return {};
}

Result<bool> MemorySignalStore::contains_signed_pre_key(std::uint32_t id) {
  return signed_pre_keys_.contains(id);
}

Status MemorySignalStore::remove_signed_pre_key(std::uint32_t id) {
  signed_pre_keys_.erase(id);
  return {};
}

Status MemorySignalStore::save_identity(std::string_view name, int device, ByteView key) {
  identities_[device_key(name, device)] = Bytes(key.begin(), key.end());
  return {};
}

Result<std::optional<Bytes>> MemorySignalStore::load_identity(std::string_view name, int device) {
  return find(identities_, device_key(name, device));
}

Result<bool> MemorySignalStore::delete_identity(std::string_view name, int device) {
  return identities_.erase(device_key(name, device)) > 0;
}

Result<std::optional<Bytes>> MemorySignalStore::load_sender_key(std::string_view group, std::string_view name,
                                                                 int device) {
  return find(sender_keys_, sender_key_id(group, name, device));
}

Status MemorySignalStore::store_sender_key(std::string_view group, std::string_view name, int device,
                                           ByteView record) {
  sender_keys_[sender_key_id(group, name, device)] = Bytes(record.begin(), record.end());
  return {};
}

}  // namespace wacrm::signal
