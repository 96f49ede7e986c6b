// The tag bytes of the binary node format (protocol notes §4.3). Bytes 1..235
// are single-byte tokens; the values below have fixed meanings in both
// dictionary versions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wacrm::wire::tag {

inline constexpr std::uint8_t kListEmpty = 0x00;    // empty list; as a string: ""
inline constexpr std::uint8_t kDictionary0 = 0xEC;  // ..0xEF: next byte indexes dictionary 0..3
inline constexpr std::uint8_t kDictionary3 = 0xEF;
inline constexpr std::uint8_t kInteropJid = 0xF5;   // user, device u16, integrator u16, server
inline constexpr std::uint8_t kFbJid = 0xF6;        // user, device u16, server
inline constexpr std::uint8_t kAdJid = 0xF7;        // domain u8, device u8, user
inline constexpr std::uint8_t kList8 = 0xF8;
inline constexpr std::uint8_t kList16 = 0xF9;
inline constexpr std::uint8_t kJidPair = 0xFA;      // user (or 00), server
inline constexpr std::uint8_t kHex8 = 0xFB;
inline constexpr std::uint8_t kBinary8 = 0xFC;
inline constexpr std::uint8_t kBinary20 = 0xFD;
inline constexpr std::uint8_t kBinary32 = 0xFE;
inline constexpr std::uint8_t kNibble8 = 0xFF;

// Longest string a packed (nibble/hex) encoding can carry.
inline constexpr std::size_t kPackedMax = 127;

// AD_JID domain bytes (the server of a device JID).
inline constexpr std::uint8_t kDomainWhatsApp = 0;
inline constexpr std::uint8_t kDomainLid = 1;
inline constexpr std::uint8_t kDomainHosted = 128;
inline constexpr std::uint8_t kDomainHostedLid = 129;

// Frame payload flag bits (the byte before the node).
inline constexpr std::uint8_t kFlagCompressed = 0x02;

}  // namespace wacrm::wire::tag
