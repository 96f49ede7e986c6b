// The OpenSSL crypto provider against published known answers, called the
// way libsignal calls it (through the signal_crypto_provider table).
#include "signal/openssl_crypto.h"

#include <gtest/gtest.h>

#include <string>

#include "base/bytes.h"

namespace wacrm::signal {
namespace {

Bytes hex(std::string_view h) {
  Bytes out;
  EXPECT_TRUE(from_hex(h, out)) << h;
  return out;
}

struct BufferDeleter {
  void operator()(signal_buffer* b) const { signal_buffer_free(b); }
};
using Buffer = std::unique_ptr<signal_buffer, BufferDeleter>;

std::string hex_of(const signal_buffer* b) {
  return to_hex(ByteView(signal_buffer_const_data(b), signal_buffer_len(b)));
}

class OpenSslCryptoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = OpenSslCrypto::create();
    ASSERT_TRUE(made) << made.error().to_string();
    crypto_ = std::move(*made);
    p_ = crypto_->provider();
  }

  std::string hmac(ByteView key, ByteView data) {
    void* ctx = nullptr;
    EXPECT_EQ(p_.hmac_sha256_init_func(&ctx, key.data(), key.size(), p_.user_data), 0);
    EXPECT_EQ(p_.hmac_sha256_update_func(ctx, data.data(), data.size(), p_.user_data), 0);
    signal_buffer* out = nullptr;
    EXPECT_EQ(p_.hmac_sha256_final_func(ctx, &out, p_.user_data), 0);
    p_.hmac_sha256_cleanup_func(ctx, p_.user_data);
    Buffer owned(out);
    return out ? hex_of(out) : "";
  }

  std::unique_ptr<OpenSslCrypto> crypto_;
  signal_crypto_provider p_{};
};

// RFC 4231, test cases 1 and 2.
TEST_F(OpenSslCryptoTest, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(hmac(Bytes(20, 0x0b), as_bytes("Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac(as_bytes("Jefe"), as_bytes("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(OpenSslCryptoTest, HmacAcceptsAnEmptyKey) {
  // HMAC-SHA256 with an empty key and empty message, a well-known value.
  EXPECT_EQ(hmac({}, {}), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// FIPS 180-2 "abc"; final must leave the context usable for the next digest.
TEST_F(OpenSslCryptoTest, Sha512OfAbcAndContextReuse) {
  const std::string expected =
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
  void* ctx = nullptr;
  ASSERT_EQ(p_.sha512_digest_init_func(&ctx, p_.user_data), 0);
  for (int round = 0; round < 2; ++round) {
    ByteView abc = as_bytes("abc");
    ASSERT_EQ(p_.sha512_digest_update_func(ctx, abc.data(), abc.size(), p_.user_data), 0);
    signal_buffer* out = nullptr;
    ASSERT_EQ(p_.sha512_digest_final_func(ctx, &out, p_.user_data), 0);
    Buffer owned(out);
    EXPECT_EQ(hex_of(out), expected) << "round " << round;
  }
  p_.sha512_digest_cleanup_func(ctx, p_.user_data);
}

const char* const kNistKey = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
const char* const kNistPlaintext =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

// NIST SP 800-38A F.2.5 (CBC-AES256). With PKCS#5 padding on, the 64-byte
// message gains one full padding block after the four NIST blocks.
TEST_F(OpenSslCryptoTest, AesCbc256MatchesNistAndRoundTrips) {
  Bytes key = hex(kNistKey), iv = hex("000102030405060708090a0b0c0d0e0f"), plain = hex(kNistPlaintext);
  signal_buffer* out = nullptr;
  ASSERT_EQ(p_.encrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, key.data(), key.size(), iv.data(), iv.size(),
                            plain.data(), plain.size(), p_.user_data),
            0);
  Buffer ciphertext(out);
  ASSERT_EQ(signal_buffer_len(out), 80u);
  EXPECT_EQ(hex_of(out).substr(0, 128),
            "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
            "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b");

  signal_buffer* back = nullptr;
  ASSERT_EQ(p_.decrypt_func(&back, SG_CIPHER_AES_CBC_PKCS5, key.data(), key.size(), iv.data(), iv.size(),
                            signal_buffer_data(out), signal_buffer_len(out), p_.user_data),
            0);
  Buffer decrypted(back);
  EXPECT_EQ(hex_of(back), kNistPlaintext);
}

// NIST SP 800-38A F.5.5 (CTR-AES256): no padding, exact length.
TEST_F(OpenSslCryptoTest, AesCtr256MatchesNist) {
  Bytes key = hex(kNistKey), counter = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), plain = hex(kNistPlaintext);
  signal_buffer* out = nullptr;
  ASSERT_EQ(p_.encrypt_func(&out, SG_CIPHER_AES_CTR_NOPADDING, key.data(), key.size(), counter.data(),
                            counter.size(), plain.data(), plain.size(), p_.user_data),
            0);
  Buffer ciphertext(out);
  EXPECT_EQ(hex_of(out),
            "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
            "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
}

TEST_F(OpenSslCryptoTest, RejectsBadKeyLengthIvAndCipher) {
  Bytes key(20, 1), iv(16, 0), plain(16, 2);
  signal_buffer* out = nullptr;
  EXPECT_LT(p_.encrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, key.data(), key.size(), iv.data(), iv.size(),
                            plain.data(), plain.size(), p_.user_data),
            0);
  Bytes good_key(32, 1), short_iv(8, 0);
  EXPECT_LT(p_.encrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, good_key.data(), good_key.size(), short_iv.data(),
                            short_iv.size(), plain.data(), plain.size(), p_.user_data),
            0);
  EXPECT_LT(p_.encrypt_func(&out, 99, good_key.data(), good_key.size(), iv.data(), iv.size(), plain.data(),
                            plain.size(), p_.user_data),
            0);
  EXPECT_EQ(out, nullptr);
}

TEST_F(OpenSslCryptoTest, CbcDecryptOfTruncatedCiphertextFailsCleanly) {
  Bytes key(32, 7), iv(16, 0), truncated(17, 0x5a);  // not a whole number of blocks
  signal_buffer* out = nullptr;
  EXPECT_LT(p_.decrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, key.data(), key.size(), iv.data(), iv.size(),
                            truncated.data(), truncated.size(), p_.user_data),
            0);
  EXPECT_EQ(out, nullptr);
}

TEST_F(OpenSslCryptoTest, RandomFillsTheBuffer) {
  Bytes a(64, 0), b(64, 0);
  ASSERT_EQ(p_.random_func(a.data(), a.size(), p_.user_data), 0);
  ASSERT_EQ(p_.random_func(b.data(), b.size(), p_.user_data), 0);
  EXPECT_NE(a, b);
  EXPECT_NE(a, Bytes(64, 0));
}

}  // namespace
}  // namespace wacrm::signal
