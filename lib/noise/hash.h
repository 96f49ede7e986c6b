// SHA-256 and HKDF-SHA256 (RFC 5869) as the Noise handshake uses them.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/secret_key.h"

namespace wacrm::noise {

using Sha256Digest = std::array<std::uint8_t, 32>;

// SHA-256 over the concatenation of the parts.
Sha256Digest sha256(std::initializer_list<ByteView> parts);

// HKDF-SHA256 with an empty info string and 64 bytes of output, split in two
// 32-byte halves: Noise's HKDF(ck, ikm) -> (output1, output2).
struct KeyHalves {
  SecretKey first;
  SecretKey second;
};
Result<KeyHalves> hkdf_sha256_pair(ByteView salt, ByteView ikm);

}  // namespace wacrm::noise
