#include "noise/secret_key.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace wacrm::noise {

SecretKey::SecretKey(std::span<const std::uint8_t, kKeySize> bytes) {
  std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

SecretKey::~SecretKey() { wipe(bytes_.data(), bytes_.size()); }

bool SecretKey::operator==(const SecretKey& other) const {
  return CRYPTO_memcmp(bytes_.data(), other.bytes_.data(), kKeySize) == 0;
}

void wipe(void* data, std::size_t size) {
  if (data && size) OPENSSL_cleanse(data, size);
}

bool equal_constant_time(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool to_public_key(ByteView bytes, PublicKey& out) {
  if (bytes.size() != kKeySize) return false;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return true;
}

}  // namespace wacrm::noise
