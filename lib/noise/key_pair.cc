#include "noise/key_pair.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <string>

namespace wacrm::noise {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

PkeyPtr private_pkey(const SecretKey& key) {
  return PkeyPtr(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, key.data(), key.size()));
}

}  // namespace

void clamp_private_key(SecretKey& key) {
  key.data()[0] &= 248;
  key.data()[31] &= 127;
  key.data()[31] |= 64;
}

Result<KeyPair> KeyPair::generate() {
  SecretKey key;
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
    return make_error(Errc::internal, "X25519 key generation: the system random generator failed");
  return from_private(key.view());
}

Result<KeyPair> KeyPair::from_private(ByteView private_key) {
  if (private_key.size() != kKeySize)
    return make_error(Errc::invalid_argument, "X25519 private key is " + std::to_string(private_key.size()) +
                                                  " bytes, expected 32");
  KeyPair pair;
  pair.private_ = SecretKey(std::span<const std::uint8_t, kKeySize>(private_key.data(), kKeySize));
  clamp_private_key(pair.private_);
  auto pkey = private_pkey(pair.private_);
  std::size_t len = pair.public_.size();
  if (!pkey || EVP_PKEY_get_raw_public_key(pkey.get(), pair.public_.data(), &len) != 1 || len != kKeySize)
    return make_error(Errc::internal, "X25519: OpenSSL could not derive the public key");
  return pair;
}

Result<SecretKey> x25519(const SecretKey& private_key, ByteView peer_public) {
  if (peer_public.size() != kKeySize)
    return make_error(Errc::malformed, "X25519 peer public key is " + std::to_string(peer_public.size()) +
                                           " bytes, expected 32");
  auto own = private_pkey(private_key);
  PkeyPtr peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public.data(), peer_public.size()));
  if (!own || !peer) return make_error(Errc::internal, "X25519: OpenSSL could not import the keys");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(own.get(), nullptr));
  SecretKey shared;
  std::size_t len = shared.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), shared.data(), &len) != 1 || len != kKeySize)
    return make_error(Errc::crypto, "X25519 with the peer's public key failed (a low-order point?)");
  return shared;
}

}  // namespace wacrm::noise
