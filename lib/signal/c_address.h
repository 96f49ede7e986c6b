// Our Address as libsignal's C structs. Internal to lib/signal.
//
// The structs point into the Address and group strings (libsignal keeps the
// pointer, notes §2.1): both must outlive every cipher or builder made with
// them. Protocol makes and frees those within one call.
#pragma once

#include <string_view>

#include <signal_protocol_types.h>

#include "signal/address.h"

namespace wacrm::signal {

inline signal_protocol_address c_address(const Address& address) {
  return {address.name.data(), address.name.size(), address.device};
}

inline signal_protocol_sender_key_name c_sender_key_name(std::string_view group, const Address& sender) {
  return {group.data(), group.size(), c_address(sender)};
}

}  // namespace wacrm::signal
