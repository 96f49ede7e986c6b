// The WABinary token dictionaries: a string that is in the dictionary goes on
// the wire as one byte (single-byte token) or two (DICTIONARY_0..3 + index).
//
// Two versions are in use and a connection picks one for its lifetime with the
// dictionary byte of the intro header (57 41 06 DV): 3 for current clients
// (whatsmeow, Baileys 7; our default) and 2 for Baileys 6. The two share tag
// bytes but not token positions ("iq" is 30 in v2 and 25 in v3).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/error.h"

namespace wacrm::wire {

enum class DictVersion : std::uint8_t { v2 = 2, v3 = 3 };

inline constexpr DictVersion kDefaultDictVersion = DictVersion::v3;

// The intro header's dictionary byte; Errc::unsupported for any other value.
Result<DictVersion> dict_version_from_byte(std::uint8_t value);

// Where a token sits: single-byte tokens have no dictionary.
struct TokenRef {
  std::optional<std::uint8_t> dictionary;  // 0..3 for double-byte tokens
  std::uint8_t index = 0;

  friend bool operator==(const TokenRef&, const TokenRef&) = default;
};

// Byte 1..235 -> its string; nullopt for 0 (LIST_EMPTY) or bytes past the table.
std::optional<std::string_view> single_byte_token(DictVersion version, std::uint8_t index);
// DICTIONARY_<dictionary>, <index> -> its string; nullopt if dictionary > 3.
std::optional<std::string_view> double_byte_token(DictVersion version, std::uint8_t dictionary,
                                                  std::uint8_t index);
// The token for `text`, if it is one (exact, case-sensitive match).
std::optional<TokenRef> find_token(DictVersion version, std::string_view text);

}  // namespace wacrm::wire
