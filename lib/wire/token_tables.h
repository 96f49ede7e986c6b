// The generated token dictionaries (tokens_generated.cc) as the rest of
// lib/wire sees them. Internal to lib/wire: use tokens.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wacrm::wire::detail {

inline constexpr std::size_t kSingleByteTokenCount = 236;
inline constexpr std::size_t kDoubleByteDictionaryCount = 4;
inline constexpr std::size_t kDoubleByteTokenCount = 256;

// String -> token: open addressing over kTokenLookupSlots slots, slot =
// fnv1a32(text) & (slots - 1), linear probing, kEmptySlot ends a probe. A slot
// holds a token id: the index for a single-byte token, or
// kDoubleByteIdBase + dict * 256 + index for a double-byte one.
inline constexpr std::size_t kTokenLookupSlots = 4096;
inline constexpr std::uint16_t kEmptySlot = 0xFFFF;
inline constexpr std::uint16_t kDoubleByteIdBase = 256;

struct TokenTables {
  const std::string_view* single;                               // [kSingleByteTokenCount]
  const std::string_view (*double_byte)[kDoubleByteTokenCount];  // [kDoubleByteDictionaryCount]
  const std::uint16_t* lookup;                                  // [kTokenLookupSlots]
};

extern const TokenTables kV2Tables;
extern const TokenTables kV3Tables;

// The hash the generator used to place tokens (32-bit FNV-1a).
constexpr std::uint32_t token_hash(std::string_view text) {
  std::uint32_t h = 0x811C9DC5u;
  for (char c : text) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x01000193u;
  }
  return h;
}

}  // namespace wacrm::wire::detail
