// Map keys for Signal state held in memory (MemorySignalStore,
// StateTransaction): a remote device, and a sender key's (group, sender).
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace wacrm::signal {

struct DeviceKey {
  std::string name;
  int device = 0;
  auto operator<=>(const DeviceKey&) const = default;
};

struct SenderKeyId {
  std::string group;
  std::string name;
  int device = 0;
  auto operator<=>(const SenderKeyId&) const = default;
};

inline DeviceKey device_key(std::string_view name, int device) { return {std::string(name), device}; }
inline SenderKeyId sender_key_id(std::string_view group, std::string_view name, int device) {
  return {std::string(group), std::string(name), device};
}

}  // namespace wacrm::signal
