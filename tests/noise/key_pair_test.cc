#include <gtest/gtest.h>

#include "noise/key_pair.h"
#include "noise/xeddsa.h"
#include "noise_test_util.h"

namespace wacrm::noise {
namespace {

using testing::hex;

// RFC 7748 §6.1 (Alice and Bob).
TEST(KeyPair, Rfc7748DiffieHellmanVector) {
  auto alice = KeyPair::from_private(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  auto bob = KeyPair::from_private(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice && bob);
  EXPECT_EQ(to_hex(alice->public_key()), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(to_hex(bob->public_key()), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  auto ab = x25519(alice->private_key(), bob->public_key());
  auto ba = x25519(bob->private_key(), alice->public_key());
  ASSERT_TRUE(ab && ba);
  EXPECT_EQ(to_hex(ab->view()), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_TRUE(*ab == *ba);
}

TEST(KeyPair, GeneratedKeysAreClampedAndDistinct) {
  auto a = KeyPair::generate().value();
  auto b = KeyPair::generate().value();
  EXPECT_NE(a.public_key(), b.public_key());
  EXPECT_EQ(a.private_key().data()[0] & 7, 0);
  EXPECT_EQ(a.private_key().data()[31] & 0xc0, 0x40);
}

TEST(KeyPair, RejectsWrongSizesAndLowOrderPoints) {
  EXPECT_EQ(KeyPair::from_private(hex("0102")).error().code, Errc::invalid_argument);
  auto a = KeyPair::generate().value();
  EXPECT_EQ(x25519(a.private_key(), hex("00")).error().code, Errc::malformed);
  Bytes zero(32, 0);
  EXPECT_EQ(x25519(a.private_key(), zero).error().code, Errc::crypto);
}

TEST(Xeddsa, SignsAndVerifiesWithX25519Keys) {
  auto key = KeyPair::generate().value();
  Bytes message = hex("0600aabbcc");
  auto sig = xeddsa_sign(key.private_key(), message);
  ASSERT_TRUE(sig) << sig.error().to_string();
  EXPECT_TRUE(xeddsa_verify(key.public_key(), message, *sig));

  Bytes other = hex("0600aabbcd");
  EXPECT_FALSE(xeddsa_verify(key.public_key(), other, *sig));
  EXPECT_FALSE(xeddsa_verify(KeyPair::generate()->public_key(), message, *sig));
  EXPECT_FALSE(xeddsa_verify(key.public_key(), message, ByteView(sig->data(), 63)));
  auto flipped = *sig;
  flipped[0] ^= 1;
  EXPECT_FALSE(xeddsa_verify(key.public_key(), message, flipped));
}

}  // namespace
}  // namespace wacrm::noise
