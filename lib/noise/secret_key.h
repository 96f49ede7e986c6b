// 32-byte key material (private keys, chaining and cipher keys) that is wiped
// when it goes away. There is deliberately no operator<< and no to_string:
// key bytes are never meant to reach a log.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "base/bytes.h"

namespace wacrm::noise {

inline constexpr std::size_t kKeySize = 32;

// Public keys are not secret: plain arrays, printable with to_hex.
using PublicKey = std::array<std::uint8_t, kKeySize>;

class SecretKey {
 public:
  SecretKey() { bytes_.fill(0); }
  explicit SecretKey(std::span<const std::uint8_t, kKeySize> bytes);
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;
  ~SecretKey();

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  static constexpr std::size_t size() { return kKeySize; }
  ByteView view() const { return ByteView(bytes_.data(), bytes_.size()); }

  // Constant-time comparison.
  bool operator==(const SecretKey& other) const;

 private:
  std::array<std::uint8_t, kKeySize> bytes_;
};

// Overwrites memory in a way the optimizer may not remove (OPENSSL_cleanse).
void wipe(void* data, std::size_t size);
inline void wipe(Bytes& bytes) { wipe(bytes.data(), bytes.size()); }

// Constant-time equality of two byte strings (false when the sizes differ).
bool equal_constant_time(ByteView a, ByteView b);

// Copies exactly 32 bytes into a PublicKey; false if the size is not 32.
bool to_public_key(ByteView bytes, PublicKey& out);

}  // namespace wacrm::noise
