#include "signal/keys.h"

#include <string>

namespace wacrm::signal {

Result<Bytes> signal_public_key(ByteView wire_key) {
  if (wire_key.size() != kKeySize)
    return make_error(Errc::invalid_argument,
                      "public key has " + std::to_string(wire_key.size()) + " bytes, expected 32");
  Bytes out;
  out.reserve(kKeySize + 1);
  out.push_back(kDjbKeyType);
  out.insert(out.end(), wire_key.begin(), wire_key.end());
  return out;
}

Result<Bytes> wire_public_key(ByteView signal_key) {
  if (signal_key.size() != kKeySize + 1 || signal_key[0] != kDjbKeyType)
    return make_error(Errc::invalid_argument, "not a 33-byte 0x05-prefixed public key (" +
                                                  std::to_string(signal_key.size()) + " bytes)");
  return Bytes(signal_key.begin() + 1, signal_key.end());
}

}  // namespace wacrm::signal
