// X25519 key pairs and Diffie-Hellman, on OpenSSL's EVP_PKEY_X25519.
#pragma once

#include "base/bytes.h"
#include "base/error.h"
#include "noise/secret_key.h"

namespace wacrm::noise {

class KeyPair {
 public:
  // A fresh key pair from the system CSPRNG. The private key is stored
  // clamped (d[0] &= 248, d[31] &= 127, d[31] |= 64), as WhatsApp clients
  // persist it, so the same bytes also work for XEdDSA signing.
  static Result<KeyPair> generate();
  // Imports a 32-byte private key (clamping it) and derives the public key.
  static Result<KeyPair> from_private(ByteView private_key);

  const PublicKey& public_key() const { return public_; }
  const SecretKey& private_key() const { return private_; }

 private:
  KeyPair() = default;
  SecretKey private_;
  PublicKey public_{};
};

// Clamps a Curve25519 private scalar in place.
void clamp_private_key(SecretKey& key);

// X25519(private, peer public). Fails with Errc::crypto when the peer key is a
// low-order point (OpenSSL refuses an all-zero shared secret) and with
// Errc::malformed when the peer key is not 32 bytes.
Result<SecretKey> x25519(const SecretKey& private_key, ByteView peer_public);

}  // namespace wacrm::noise
