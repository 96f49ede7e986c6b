// Curve25519 keys as WhatsApp and libsignal write them, and the one place
// that converts between the two encodings (notes §2.2):
//   wire (WhatsApp nodes, pairing, our stores' local identity): 32 raw bytes;
//   libsignal (inside Signal messages, identity store):         0x05 || 32.
// Private keys are 32 bytes in both.
#pragma once

#include <cstdint>
#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::signal {

inline constexpr std::uint8_t kDjbKeyType = 0x05;  // sent as <type>[0x05]</type>
inline constexpr std::size_t kKeySize = 32;
inline constexpr std::size_t kSignatureSize = 64;
inline constexpr std::uint32_t kMaxPreKeyId = 0xFFFFFF;  // ids are 24-bit (3 bytes on the wire)

// 32-byte wire public key -> 33-byte libsignal form.
// Errc::invalid_argument unless exactly 32 bytes.
Result<Bytes> signal_public_key(ByteView wire_key);
// 33-byte libsignal public key -> 32-byte wire form.
// Errc::invalid_argument unless 33 bytes starting with 0x05.
Result<Bytes> wire_public_key(ByteView signal_key);

// Raw 32-byte halves.
struct KeyPair {
  Bytes public_key;
  Bytes private_key;
};

struct PreKey {
  std::uint32_t id = 0;
  KeyPair key;
};

struct SignedPreKey {
  std::uint32_t id = 0;
  KeyPair key;
  Bytes signature;  // XEdDSA by the identity key over 0x05 || public (64 bytes)
};

}  // namespace wacrm::signal
