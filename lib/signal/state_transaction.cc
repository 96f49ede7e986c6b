#include "signal/state_transaction.h"

#include <set>
#include <vector>

namespace wacrm::signal {

template <class Key, class Load>
Result<std::optional<Bytes>> StateTransaction::read(Layer<Key>& layer, const Key& key, Load&& load) {
  if (auto it = layer.find(key); it != layer.end()) return it->second.value;
  std::optional<Bytes> value = WACRM_TRY(load());
  layer.emplace(key, Entry{value, false});
  return value;
}

template <class Key>
void StateTransaction::write(Layer<Key>& layer, const Key& key, std::optional<Bytes> value) {
  layer.insert_or_assign(key, Entry{std::move(value), true});
}

static std::optional<Bytes> copy(ByteView bytes) { return Bytes(bytes.begin(), bytes.end()); }

// --- sessions

Result<std::optional<Bytes>> StateTransaction::load_session(std::string_view name, int device) {
  return read(sessions_, device_key(name, device), [&] { return base_.load_session(name, device); });
}

Status StateTransaction::preload_sessions(std::span<const store::SessionAddress> addresses) {
  std::vector<store::SessionAddress> unknown;
  std::set<DeviceKey> wanted;
  for (const auto& a : addresses) {
    DeviceKey key = device_key(a.name, a.device);
    if (!sessions_.contains(key) && wanted.insert(key).second) unknown.push_back(a);
  }
  if (unknown.empty()) return {};
  for (auto& found : WACRM_TRY(base_.load_sessions(unknown)))
    sessions_.emplace(device_key(found.name, found.device), Entry{std::move(found.record), false});
  for (const auto& key : wanted) sessions_.emplace(key, Entry{std::nullopt, false});  // none stored
  return {};
}

Status StateTransaction::store_session(std::string_view name, int device, ByteView record) {
  write(sessions_, device_key(name, device), copy(record));
  return {};
}

Result<std::vector<int>> StateTransaction::sub_device_sessions(std::string_view name) {
  std::vector<int> stored = WACRM_TRY(base_.sub_device_sessions(name));
  std::set<int> devices(stored.begin(), stored.end());
  for (const auto& [key, entry] : sessions_) {
    if (key.name != name || !entry.dirty) continue;
    if (entry.value) devices.insert(key.device);
    else devices.erase(key.device);
  }
  return std::vector<int>(devices.begin(), devices.end());
}

Result<bool> StateTransaction::delete_session(std::string_view name, int device) {
  bool existed = WACRM_TRY(load_session(name, device)).has_value();
  write(sessions_, device_key(name, device), std::nullopt);
  return existed;
}

Result<int> StateTransaction::delete_all_sessions(std::string_view name) {
  std::vector<int> devices = WACRM_TRY(sub_device_sessions(name));
  for (int device : devices) write(sessions_, device_key(name, device), std::nullopt);
  return static_cast<int>(devices.size());
}

// --- one-time pre-keys

Result<std::optional<Bytes>> StateTransaction::load_pre_key(std::uint32_t id) {
  return read(pre_keys_, id, [&] { return base_.load_pre_key(id); });
}

Status StateTransaction::store_pre_key(std::uint32_t id, ByteView record) {
  write(pre_keys_, id, copy(record));
  return {};
}

Result<bool> StateTransaction::contains_pre_key(std::uint32_t id) {
  return WACRM_TRY(load_pre_key(id)).has_value();
}

Status StateTransaction::remove_pre_key(std::uint32_t id) {
  write(pre_keys_, id, std::nullopt);
  return {};
}

// --- signed pre-keys

Result<std::optional<Bytes>> StateTransaction::load_signed_pre_key(std::uint32_t id) {
  return read(signed_pre_keys_, id, [&] { return base_.load_signed_pre_key(id); });
}

Status StateTransaction::store_signed_pre_key(std::uint32_t id, ByteView record) {
  write(signed_pre_keys_, id, copy(record));
  return {};
}

Result<bool> StateTransaction::contains_signed_pre_key(std::uint32_t id) {
  return WACRM_TRY(load_signed_pre_key(id)).has_value();
}

Status StateTransaction::remove_signed_pre_key(std::uint32_t id) {
  write(signed_pre_keys_, id, std::nullopt);
  return {};
}

// --- remote identities

Status StateTransaction::save_identity(std::string_view name, int device, ByteView key) {
  write(identities_, device_key(name, device), copy(key));
  return {};
}

Result<std::optional<Bytes>> StateTransaction::load_identity(std::string_view name, int device) {
  return read(identities_, device_key(name, device), [&] { return base_.load_identity(name, device); });
}

Result<bool> StateTransaction::delete_identity(std::string_view name, int device) {
  bool existed = WACRM_TRY(load_identity(name, device)).has_value();
  write(identities_, device_key(name, device), std::nullopt);
  return existed;
}

// --- sender keys

Result<std::optional<Bytes>> StateTransaction::load_sender_key(std::string_view group, std::string_view name,
                                                               int device) {
  return read(sender_keys_, sender_key_id(group, name, device),
              [&] { return base_.load_sender_key(group, name, device); });
}

Status StateTransaction::store_sender_key(std::string_view group, std::string_view name, int device,
                                          ByteView record) {
  write(sender_keys_, sender_key_id(group, name, device), copy(record));
  return {};
}

// --- committing

Status StateTransaction::flush_to(store::SignalStore& target) const {
  std::vector<store::SessionRecord> stored;
  for (const auto& [key, entry] : sessions_) {
    if (!entry.dirty) continue;
    if (entry.value) stored.push_back({key.name, key.device, *entry.value});
    else WACRM_TRY(target.delete_session(key.name, key.device));
  }
  WACRM_TRY(target.store_sessions(stored));  // one statement for a batch's ratchets
  for (const auto& [id, entry] : pre_keys_) {
    if (!entry.dirty) continue;
    if (entry.value) WACRM_TRY(target.store_pre_key(id, *entry.value));
    else WACRM_TRY(target.remove_pre_key(id));
  }
  for (const auto& [id, entry] : signed_pre_keys_) {
    if (!entry.dirty) continue;
    if (entry.value) WACRM_TRY(target.store_signed_pre_key(id, *entry.value));
    else WACRM_TRY(target.remove_signed_pre_key(id));
  }
  for (const auto& [key, entry] : identities_) {
    if (!entry.dirty) continue;
    if (entry.value) WACRM_TRY(target.save_identity(key.name, key.device, *entry.value));
    else WACRM_TRY(target.delete_identity(key.name, key.device));
  }
  for (const auto& [key, entry] : sender_keys_) {
    // Sender keys are never deleted through the store interface.
    if (entry.dirty && entry.value) WACRM_TRY(target.store_sender_key(key.group, key.name, key.device, *entry.value));
  }
  return {};
}

void StateTransaction::clear() {
  sessions_.clear();
  identities_.clear();
  pre_keys_.clear();
  signed_pre_keys_.clear();
  sender_keys_.clear();
}

std::size_t StateTransaction::pending_changes() const {
  std::size_t count = 0;
  auto count_dirty = [&count](const auto& layer) {
    for (const auto& [key, entry] : layer) count += entry.dirty ? 1 : 0;
  };
  count_dirty(sessions_);
  count_dirty(identities_);
  count_dirty(pre_keys_);
  count_dirty(signed_pre_keys_);
  count_dirty(sender_keys_);
  return count;
}

}  // namespace wacrm::signal
