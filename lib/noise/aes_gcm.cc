#include "noise/aes_gcm.h"

#include <openssl/evp.h>

#include <array>
#include <limits>

namespace wacrm::noise {
namespace {

using Nonce = std::array<std::uint8_t, 12>;

Nonce make_nonce(std::uint32_t counter) {
  Nonce nonce{};
  nonce[8] = static_cast<std::uint8_t>(counter >> 24);
  nonce[9] = static_cast<std::uint8_t>(counter >> 16);
  nonce[10] = static_cast<std::uint8_t>(counter >> 8);
  nonce[11] = static_cast<std::uint8_t>(counter);
  return nonce;
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// Creates a context with the key schedule done once; later messages only set
// a new IV.
CipherCtxPtr keyed_context(const SecretKey& key, bool encrypt) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return nullptr;
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1)
    return nullptr;
  return ctx;
}

constexpr std::size_t kMaxChunk = static_cast<std::size_t>(std::numeric_limits<int>::max());

}  // namespace

struct AesGcm::Contexts {
  CipherCtxPtr seal;
  CipherCtxPtr open;
};

AesGcm::AesGcm(const SecretKey& key) : key_(key), ctx_(std::make_unique<Contexts>()) {}
AesGcm::AesGcm(AesGcm&&) noexcept = default;
AesGcm& AesGcm::operator=(AesGcm&&) noexcept = default;
AesGcm::~AesGcm() = default;

Status AesGcm::seal(std::uint32_t counter, ByteView aad, ByteView plaintext, Bytes& out) {
  if (plaintext.size() > kMaxChunk || aad.size() > kMaxChunk)
    return make_error(Errc::too_large, "AES-GCM input exceeds 2 GiB");
  if (!ctx_->seal) ctx_->seal = keyed_context(key_, true);
  EVP_CIPHER_CTX* ctx = ctx_->seal.get();
  if (!ctx) return make_error(Errc::internal, "AES-256-GCM: OpenSSL context setup failed");

  const Nonce nonce = make_nonce(counter);
  const std::size_t start = out.size();
  out.resize(start + plaintext.size() + kGcmTagSize);
  int len = 0;
  int total = 0;
  bool ok = EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) == 1;
  if (ok && !aad.empty()) ok = EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
  if (ok && !plaintext.empty()) {
    ok = EVP_EncryptUpdate(ctx, out.data() + start, &len, plaintext.data(), static_cast<int>(plaintext.size())) == 1;
    total = len;
  }
  if (ok) {
    ok = EVP_EncryptFinal_ex(ctx, out.data() + start + total, &len) == 1;
    total += len;
  }
  ok = ok && static_cast<std::size_t>(total) == plaintext.size() &&
       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagSize, out.data() + start + total) == 1;
  if (!ok) {
    out.resize(start);
    return make_error(Errc::internal, "AES-256-GCM encryption failed in OpenSSL");
  }
  return {};
}

Status AesGcm::open(std::uint32_t counter, ByteView aad, ByteView ciphertext, Bytes& out) {
  if (ciphertext.size() < kGcmTagSize)
    return make_error(Errc::malformed, "AES-GCM ciphertext is " + std::to_string(ciphertext.size()) +
                                           " bytes, shorter than its 16-byte tag");
  if (ciphertext.size() > kMaxChunk || aad.size() > kMaxChunk)
    return make_error(Errc::too_large, "AES-GCM input exceeds 2 GiB");
  if (!ctx_->open) ctx_->open = keyed_context(key_, false);
  EVP_CIPHER_CTX* ctx = ctx_->open.get();
  if (!ctx) return make_error(Errc::internal, "AES-256-GCM: OpenSSL context setup failed");

  const Nonce nonce = make_nonce(counter);
  const std::size_t body = ciphertext.size() - kGcmTagSize;
  const std::size_t start = out.size();
  out.resize(start + body);
  int len = 0;
  int total = 0;
  bool ok = EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) == 1;
  if (ok && !aad.empty()) ok = EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
  if (ok && body) {
    ok = EVP_DecryptUpdate(ctx, out.data() + start, &len, ciphertext.data(), static_cast<int>(body)) == 1;
    total = len;
  }
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kGcmTagSize,
                                 const_cast<std::uint8_t*>(ciphertext.data() + body)) == 1;
  if (!ok) {
    out.resize(start);
    return make_error(Errc::internal, "AES-256-GCM decryption setup failed in OpenSSL");
  }
  if (EVP_DecryptFinal_ex(ctx, out.data() + start + total, &len) != 1) {
    wipe(out.data() + start, body);
    out.resize(start);
    return make_error(Errc::crypto, "AES-256-GCM tag mismatch");
  }
  return {};
}

}  // namespace wacrm::noise
