// Byte buffers and views used across the protocol layers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wacrm {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(ByteView bytes);
// Accepts upper or lower case; returns false on odd length or a non-hex digit.
bool from_hex(std::string_view hex, Bytes& out);

}  // namespace wacrm
