#include "noise/hash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace wacrm::noise {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* p) const { EVP_KDF_CTX_free(p); }
};

// Fetched once: fetching a provider algorithm per call is the slow part.
EVP_KDF* hkdf_algorithm() {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
  return kdf;
}

}  // namespace

Sha256Digest sha256(std::initializer_list<ByteView> parts) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  Sha256Digest out{};
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  for (auto part : parts) ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1;
  // SHA-256 cannot fail on valid input; if OpenSSL does, it is a bug or an
  // exhausted allocator, not a protocol condition.
  if (!ok || len != out.size()) throw std::runtime_error("OpenSSL SHA-256 failed");
  return out;
}

Result<KeyHalves> hkdf_sha256_pair(ByteView salt, ByteView ikm) {
  EVP_KDF* kdf = hkdf_algorithm();
  if (!kdf) return make_error(Errc::internal, "OpenSSL has no HKDF implementation loaded");
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(kdf));
  if (!ctx) return make_error(Errc::internal, "HKDF: cannot allocate a context");

  char digest[] = "SHA256";
  // OpenSSL's HKDF rejects a zero-length key through the params API, but
  // Noise's Split() uses an empty IKM; a 0-length octet string with a
  // non-null pointer is accepted.
  static const std::uint8_t empty = 0;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                        const_cast<std::uint8_t*>(ikm.empty() ? &empty : ikm.data()), ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                        const_cast<std::uint8_t*>(salt.empty() ? &empty : salt.data()), salt.size()),
      OSSL_PARAM_construct_end(),
  };
  std::uint8_t out[64];
  if (EVP_KDF_derive(ctx.get(), out, sizeof(out), params) != 1) {
    wipe(out, sizeof(out));
    return make_error(Errc::internal, "HKDF-SHA256 derivation failed in OpenSSL");
  }
  KeyHalves halves{SecretKey(std::span<const std::uint8_t, 32>(out, 32)),
                   SecretKey(std::span<const std::uint8_t, 32>(out + 32, 32))};
  wipe(out, sizeof(out));
  return halves;
}

}  // namespace wacrm::noise
