// Fixed values of WhatsApp's Noise handshake (protocol notes 01 §1.1, §2.1, §2.5).
#pragma once

#include <array>
#include <cstdint>

#include "noise/secret_key.h"

namespace wacrm::noise {

// "Noise_XX_25519_AESGCM_SHA256" padded with four zero bytes to exactly 32
// bytes, so it is used as the initial hash and chaining key without hashing.
inline constexpr std::array<std::uint8_t, 32> kProtocolName = {
    'N', 'o', 'i', 's', 'e', '_', 'X', 'X', '_', '2', '5', '5', '1', '9', '_', 'A',
    'E', 'S', 'G', 'C', 'M', '_', 'S', 'H', 'A', '2', '5', '6', 0,   0,   0,   0};

// The connection's intro header "WA" 06 DV. It is sent once in front of the
// first frame and is also the Noise prologue; DV is the binary-node token
// dictionary version (2 or 3) chosen for the whole connection.
inline constexpr std::uint8_t kWaMagic = 6;
using IntroHeader = std::array<std::uint8_t, 4>;
constexpr IntroHeader intro_header(std::uint8_t dict_version) { return {'W', 'A', kWaMagic, dict_version}; }

// WhatsApp's pinned Noise root key ("WhatsAppLongTerm1"), in X25519 form. It
// verifies the intermediate certificate's XEdDSA signature. The config default
// points here; tests and wasim pass their own root.
inline constexpr PublicKey kWhatsAppRootKey = {
    0x14, 0x23, 0x75, 0x57, 0x4d, 0x0a, 0x58, 0x71, 0x66, 0xaa, 0xe7, 0x1e, 0xbe, 0x51, 0x64, 0x37,
    0xc4, 0xa2, 0x8b, 0x73, 0xe3, 0x69, 0x5c, 0x6c, 0xe1, 0xf7, 0xf9, 0x54, 0x5d, 0xa8, 0xee, 0x6b};

}  // namespace wacrm::noise
