// AES-256-GCM with WhatsApp's counter nonce (8 zero bytes || BE32(counter)) and
// a 16-byte tag appended to the ciphertext. One OpenSSL context per direction
// is created on first use and reused for every message, so sealing or opening
// a frame allocates nothing but the output.
#pragma once

#include <cstdint>
#include <memory>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/secret_key.h"

namespace wacrm::noise {

inline constexpr std::size_t kGcmTagSize = 16;

class AesGcm {
 public:
  explicit AesGcm(const SecretKey& key);
  AesGcm(AesGcm&&) noexcept;
  AesGcm& operator=(AesGcm&&) noexcept;
  ~AesGcm();

  // Appends ciphertext || tag (plaintext.size() + 16 bytes) to out.
  Status seal(std::uint32_t counter, ByteView aad, ByteView plaintext, Bytes& out);
  // Appends the plaintext (ciphertext.size() - 16 bytes) to out. Errc::crypto
  // when the tag does not verify (out is left as it was); Errc::malformed when
  // the input is shorter than a tag.
  Status open(std::uint32_t counter, ByteView aad, ByteView ciphertext, Bytes& out);

 private:
  struct Contexts;
  SecretKey key_;
  std::unique_ptr<Contexts> ctx_;
};

}  // namespace wacrm::noise
