// Signal protocol addresses: which remote device a session belongs to.
//
// Addresses never go on the wire; they only key the stores, so they must be
// stable and PN and LID users must not collide. We follow whatsmeow (notes
// §2.1): the name is the JID user, with "_<domain>" appended for non-phone
// domains ("123456789012345_1" for @lid), and the device is the JID device.
// This takes plain strings so lib/signal does not depend on the JID type.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace wacrm::signal {

struct Address {
  std::string name;
  std::int32_t device = 0;

  // "name:device", for logs.
  std::string to_string() const;
  auto operator<=>(const Address&) const = default;
};

// The address of device `device` of user `user` on `server`:
//   s.whatsapp.net, c.us -> user;   lid -> user_1;
//   hosted -> user_128;             hosted.lid -> user_129.
// Errc::invalid_argument for an empty user, a user containing '_', ':', '@'
// or '.', a device outside 0..65535, or any other server (groups,
// broadcasts and newsletters are not device addresses).
Result<Address> signal_address_for(std::string_view user, std::string_view server, int device);

}  // namespace wacrm::signal
