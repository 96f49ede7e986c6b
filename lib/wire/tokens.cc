#include "wire/tokens.h"

#include <string>

#include "wire/token_tables.h"

namespace wacrm::wire {

using detail::TokenTables;

static const TokenTables& tables(DictVersion version) {
  return version == DictVersion::v2 ? detail::kV2Tables : detail::kV3Tables;
}

Result<DictVersion> dict_version_from_byte(std::uint8_t value) {
  switch (value) {
    case 2: return DictVersion::v2;
    case 3: return DictVersion::v3;
  }
  return make_error(Errc::unsupported, "token dictionary version " + std::to_string(value) +
                                           " (known: 2, 3)");
}

std::optional<std::string_view> single_byte_token(DictVersion version, std::uint8_t index) {
  if (index == 0 || index >= detail::kSingleByteTokenCount) return std::nullopt;
  return tables(version).single[index];
}

std::optional<std::string_view> double_byte_token(DictVersion version, std::uint8_t dictionary,
                                                  std::uint8_t index) {
  if (dictionary >= detail::kDoubleByteDictionaryCount) return std::nullopt;
  return tables(version).double_byte[dictionary][index];
}

std::optional<TokenRef> find_token(DictVersion version, std::string_view text) {
  const TokenTables& t = tables(version);
  constexpr std::size_t mask = detail::kTokenLookupSlots - 1;
  for (std::size_t slot = detail::token_hash(text) & mask;; slot = (slot + 1) & mask) {
    const std::uint16_t id = t.lookup[slot];
    if (id == detail::kEmptySlot) return std::nullopt;
    if (id < detail::kDoubleByteIdBase) {
      if (t.single[id] == text) return TokenRef{std::nullopt, static_cast<std::uint8_t>(id)};
    } else {
      const unsigned d = (id - detail::kDoubleByteIdBase) / detail::kDoubleByteTokenCount;
      const unsigned i = (id - detail::kDoubleByteIdBase) % detail::kDoubleByteTokenCount;
      if (t.double_byte[d][i] == text)
        return TokenRef{static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(i)};
    }
  }
}

}  // namespace wacrm::wire
