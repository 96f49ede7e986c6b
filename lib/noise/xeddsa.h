// XEdDSA ("curve25519 signatures" as Signal and WhatsApp use them): signatures
// made and checked with X25519 (Montgomery) keys. Implemented by
// libsignal-protocol-c; OpenSSL has no XEdDSA.
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/secret_key.h"

namespace wacrm::noise {

inline constexpr std::size_t kSignatureSize = 64;
using Signature = std::array<std::uint8_t, kSignatureSize>;

// True only for a valid signature; false for an invalid one, a wrong length
// or a key the library refuses.
bool xeddsa_verify(const PublicKey& key, ByteView message, ByteView signature);

// Signs with a (clamped) X25519 private key; randomized, as XEdDSA is.
Result<Signature> xeddsa_sign(const SecretKey& private_key, ByteView message);

}  // namespace wacrm::noise
