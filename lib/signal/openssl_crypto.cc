#include "signal/openssl_crypto.h"

#include <climits>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace wacrm::signal {

struct OpenSslCrypto::Algorithms {
  // An HMAC-SHA256 context with the digest already set; each HMAC starts as
  // a copy of it, so no per-call digest lookup.
  EVP_MAC_CTX* hmac_sha256 = nullptr;
  EVP_MD* sha512 = nullptr;
  EVP_CIPHER* aes_cbc[3] = {};  // 128, 192, 256-bit keys
  EVP_CIPHER* aes_ctr[3] = {};

  ~Algorithms() {
    EVP_MAC_CTX_free(hmac_sha256);
    EVP_MD_free(sha512);
    for (auto* c : aes_cbc) EVP_CIPHER_free(c);
    for (auto* c : aes_ctr) EVP_CIPHER_free(c);
  }
};

namespace {

using Algorithms = OpenSslCrypto::Algorithms;

Algorithms& algorithms_of(void* user_data) { return *static_cast<Algorithms*>(user_data); }

int random_bytes(uint8_t* data, size_t len, void*) {
  while (len > 0) {
    int chunk = len > INT_MAX ? INT_MAX : static_cast<int>(len);
    if (RAND_bytes(data, chunk) != 1) return SG_ERR_UNKNOWN;
    data += chunk;
    len -= static_cast<size_t>(chunk);
  }
  return SG_SUCCESS;
}

int hmac_init(void** hmac_context, const uint8_t* key, size_t key_len, void* user_data) {
  try {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(algorithms_of(user_data).hmac_sha256);
    if (!ctx) return SG_ERR_NOMEM;
    // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
    static const uint8_t empty_key = 0;
    if (EVP_MAC_init(ctx, key_len ? key : &empty_key, key_len, nullptr) != 1) {
      EVP_MAC_CTX_free(ctx);
      return SG_ERR_UNKNOWN;
    }
    *hmac_context = ctx;
    return SG_SUCCESS;
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

int hmac_update(void* hmac_context, const uint8_t* data, size_t data_len, void*) {
  if (!hmac_context) return SG_ERR_INVAL;
  return EVP_MAC_update(static_cast<EVP_MAC_CTX*>(hmac_context), data, data_len) == 1 ? SG_SUCCESS
                                                                                     : SG_ERR_UNKNOWN;
}

int hmac_final(void* hmac_context, signal_buffer** output, void*) {
  if (!hmac_context) return SG_ERR_INVAL;
  uint8_t mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;
  if (EVP_MAC_final(static_cast<EVP_MAC_CTX*>(hmac_context), mac, &mac_len, sizeof mac) != 1)
    return SG_ERR_UNKNOWN;
  signal_buffer* buffer = signal_buffer_create(mac, mac_len);
  if (!buffer) return SG_ERR_NOMEM;
  *output = buffer;
  return SG_SUCCESS;
}

void hmac_cleanup(void* hmac_context, void*) { EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(hmac_context)); }

int sha512_init(void** digest_context, void* user_data) {
  try {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx) return SG_ERR_NOMEM;
    if (EVP_DigestInit_ex(ctx, algorithms_of(user_data).sha512, nullptr) != 1) {
      EVP_MD_CTX_free(ctx);
      return SG_ERR_UNKNOWN;
    }
    *digest_context = ctx;
    return SG_SUCCESS;
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

int sha512_update(void* digest_context, const uint8_t* data, size_t data_len, void*) {
  if (!digest_context) return SG_ERR_INVAL;
  return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(digest_context), data, data_len) == 1 ? SG_SUCCESS
                                                                                         : SG_ERR_UNKNOWN;
}

// libsignal reuses the context after final (XEdDSA hashes several times
// with one context), so final re-initialises it.
int sha512_final(void* digest_context, signal_buffer** output, void* user_data) {
  if (!digest_context) return SG_ERR_INVAL;
  auto* ctx = static_cast<EVP_MD_CTX*>(digest_context);
  uint8_t md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (EVP_DigestFinal_ex(ctx, md, &md_len) != 1) return SG_ERR_UNKNOWN;
  if (EVP_DigestInit_ex(ctx, algorithms_of(user_data).sha512, nullptr) != 1) return SG_ERR_UNKNOWN;
  signal_buffer* buffer = signal_buffer_create(md, md_len);
  if (!buffer) return SG_ERR_NOMEM;
  *output = buffer;
  return SG_SUCCESS;
}

void sha512_cleanup(void* digest_context, void*) { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(digest_context)); }

const EVP_CIPHER* aes_for(const Algorithms& algs, int cipher, size_t key_len) {
  int index;
  switch (key_len) {
    case 16: index = 0; break;
    case 24: index = 1; break;
    case 32: index = 2; break;
    default: return nullptr;
  }
  if (cipher == SG_CIPHER_AES_CBC_PKCS5) return algs.aes_cbc[index];
  if (cipher == SG_CIPHER_AES_CTR_NOPADDING) return algs.aes_ctr[index];
  return nullptr;
}

int aes(bool encrypt, signal_buffer** output, int cipher, const uint8_t* key, size_t key_len,
        const uint8_t* iv, size_t iv_len, const uint8_t* input, size_t input_len, void* user_data) {
  try {
    const EVP_CIPHER* evp = aes_for(algorithms_of(user_data), cipher, key_len);
    if (!evp || iv_len != 16 || input_len > INT_MAX - 32) return SG_ERR_INVAL;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (!ctx) return SG_ERR_NOMEM;
    // Output is at most one block longer than the input (CBC padding).
    signal_buffer* out = signal_buffer_alloc(input_len + 16);
    int result = SG_ERR_UNKNOWN;
    int len = 0, final_len = 0;
    if (out && EVP_CipherInit_ex(ctx, evp, nullptr, key, iv, encrypt ? 1 : 0) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, cipher == SG_CIPHER_AES_CBC_PKCS5 ? 1 : 0) == 1 &&
        EVP_CipherUpdate(ctx, signal_buffer_data(out), &len, input, static_cast<int>(input_len)) == 1 &&
        EVP_CipherFinal_ex(ctx, signal_buffer_data(out) + len, &final_len) == 1) {
      signal_buffer* sized = signal_buffer_n_copy(out, static_cast<size_t>(len + final_len));
      if (sized) {
        *output = sized;
        result = SG_SUCCESS;
      } else {
        result = SG_ERR_NOMEM;
      }
    } else if (!out) {
      result = SG_ERR_NOMEM;
    }
    if (out) signal_buffer_bzero_free(out);
    EVP_CIPHER_CTX_free(ctx);
    return result;
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

int aes_encrypt(signal_buffer** output, int cipher, const uint8_t* key, size_t key_len, const uint8_t* iv,
                size_t iv_len, const uint8_t* plaintext, size_t plaintext_len, void* user_data) {
  return aes(true, output, cipher, key, key_len, iv, iv_len, plaintext, plaintext_len, user_data);
}

int aes_decrypt(signal_buffer** output, int cipher, const uint8_t* key, size_t key_len, const uint8_t* iv,
                size_t iv_len, const uint8_t* ciphertext, size_t ciphertext_len, void* user_data) {
  return aes(false, output, cipher, key, key_len, iv, iv_len, ciphertext, ciphertext_len, user_data);
}

}  // namespace

OpenSslCrypto::OpenSslCrypto() : algorithms_(std::make_unique<Algorithms>()) {}
OpenSslCrypto::~OpenSslCrypto() = default;

Result<std::unique_ptr<OpenSslCrypto>> OpenSslCrypto::create() {
  std::unique_ptr<OpenSslCrypto> crypto(new OpenSslCrypto());
  Algorithms& algs = *crypto->algorithms_;

  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (hmac) {
    algs.hmac_sha256 = EVP_MAC_CTX_new(hmac);
    EVP_MAC_free(hmac);  // the context keeps its own reference
  }
  if (algs.hmac_sha256) {
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(algs.hmac_sha256, params) != 1) {
      EVP_MAC_CTX_free(algs.hmac_sha256);
      algs.hmac_sha256 = nullptr;
    }
  }
  algs.sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  static const char* const cbc_names[] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
  static const char* const ctr_names[] = {"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"};
  bool ciphers_ok = true;
  for (int i = 0; i < 3; ++i) {
    algs.aes_cbc[i] = EVP_CIPHER_fetch(nullptr, cbc_names[i], nullptr);
    algs.aes_ctr[i] = EVP_CIPHER_fetch(nullptr, ctr_names[i], nullptr);
    ciphers_ok = ciphers_ok && algs.aes_cbc[i] && algs.aes_ctr[i];
  }
  if (!algs.hmac_sha256 || !algs.sha512 || !ciphers_ok)
    return make_error(Errc::internal, "OpenSSL lacks HMAC-SHA256, SHA-512 or AES-CBC/CTR");
  return crypto;
}

signal_crypto_provider OpenSslCrypto::provider() {
  signal_crypto_provider p{};
  p.random_func = random_bytes;
  p.hmac_sha256_init_func = hmac_init;
  p.hmac_sha256_update_func = hmac_update;
  p.hmac_sha256_final_func = hmac_final;
  p.hmac_sha256_cleanup_func = hmac_cleanup;
  p.sha512_digest_init_func = sha512_init;
  p.sha512_digest_update_func = sha512_update;
  p.sha512_digest_final_func = sha512_final;
  p.sha512_digest_cleanup_func = sha512_cleanup;
  p.encrypt_func = aes_encrypt;
  p.decrypt_func = aes_decrypt;
  p.user_data = algorithms_.get();
  return p;
}

}  // namespace wacrm::signal
