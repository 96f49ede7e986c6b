// Noise's SymmetricState as WhatsApp uses it: hash h, chaining key ck, one
// AES-256-GCM handshake key k with a single counter n shared by encryption
// and decryption and reset by every MixKey (protocol notes 01 §2.1). Both
// handshake roles are built on it.
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/aes_gcm.h"
#include "noise/hash.h"
#include "noise/secret_key.h"

namespace wacrm::noise {

// The two transport keys Split() produces, named from one side's view.
struct TransportKeys {
  SecretKey send;
  SecretKey receive;
};

class SymmetricState {
 public:
  // h = ck = protocol name, then MixHash(prologue).
  explicit SymmetricState(ByteView prologue);

  void mix_hash(ByteView data);
  // (ck, k) = HKDF(ck, ikm); n = 0.
  Status mix_key(ByteView ikm);
  // c = AES-GCM(k, n, AAD = h, p); n += 1; MixHash(c).
  Result<Bytes> encrypt_and_hash(ByteView plaintext);
  // p = AES-GCM-open(k, n, AAD = h, c); n += 1; MixHash(c). Errc::crypto when
  // the tag does not verify.
  Result<Bytes> decrypt_and_hash(ByteView ciphertext);
  // HKDF(ck, empty) -> (first, second). The initiator sends with first.
  Result<KeyHalves> split() const;

  // For tests against the published intermediate values.
  const Sha256Digest& hash() const { return h_; }
  const SecretKey& chaining_key() const { return ck_; }
  const SecretKey* cipher_key() const { return k_ ? &*k_ : nullptr; }

 private:
  Result<std::uint32_t> next_counter();

  Sha256Digest h_;
  SecretKey ck_;
  std::optional<SecretKey> k_;
  std::optional<AesGcm> cipher_;
  std::uint32_t n_ = 0;
  bool n_exhausted_ = false;
};

}  // namespace wacrm::noise
