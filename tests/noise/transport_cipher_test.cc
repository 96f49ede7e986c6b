#include <gtest/gtest.h>

#include "noise/transport_cipher.h"
#include "noise_test_util.h"

namespace wacrm::noise {
namespace {

using testing::hex;

TransportKeys keys_ab() {
  TransportKeys k;
  for (std::size_t i = 0; i < kKeySize; ++i) {
    k.send.data()[i] = static_cast<std::uint8_t>(i);
    k.receive.data()[i] = static_cast<std::uint8_t>(0x80 + i);
  }
  return k;
}
TransportKeys keys_ba() {
  auto k = keys_ab();
  return TransportKeys{k.receive, k.send};
}

TEST(TransportCipher, RoundTripsFramesOfManySizes) {
  TransportCipher a(keys_ab());
  TransportCipher b(keys_ba());
  for (std::size_t size : {0u, 1u, 15u, 16u, 17u, 1000u, 65536u}) {
    Bytes plain(size);
    for (std::size_t i = 0; i < size; ++i) plain[i] = static_cast<std::uint8_t>(i * 7);
    auto sealed = a.encrypt(plain);
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->size(), size + 16);
    auto opened = b.decrypt(*sealed);
    ASSERT_TRUE(opened) << opened.error().to_string();
    EXPECT_EQ(*opened, plain);
  }
  EXPECT_EQ(a.frames_sent(), 7u);
  EXPECT_EQ(b.frames_received(), 7u);
}

TEST(TransportCipher, SameFrameTwiceGivesDifferentCiphertexts) {
  TransportCipher a(keys_ab());
  auto first = a.encrypt(hex("00f80119")).value();
  auto second = a.encrypt(hex("00f80119")).value();
  EXPECT_NE(first, second);  // the counter moved
}

TEST(TransportCipher, TamperedOrReorderedFrameFails) {
  TransportCipher a(keys_ab());
  TransportCipher b(keys_ba());
  auto f0 = a.encrypt(hex("000102")).value();
  auto f1 = a.encrypt(hex("030405")).value();
  // Frame 1 delivered where frame 0 is expected.
  auto r = b.decrypt(f1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto);
  EXPECT_NE(r.error().message.find("frame 0 does not decrypt"), std::string::npos) << r.error().message;

  TransportCipher c(keys_ba());
  f0[1] ^= 0x40;
  EXPECT_FALSE(c.decrypt(f0));
  EXPECT_EQ(c.decrypt(hex("0011")).error().code, Errc::malformed);  // shorter than a tag
}

TEST(TransportCipher, AppendsToTheGivenBuffer) {
  TransportCipher a(keys_ab());
  TransportCipher b(keys_ba());
  Bytes out = {0xaa, 0xbb, 0xcc};
  ASSERT_TRUE(a.encrypt(hex("0102"), out));
  ASSERT_EQ(out.size(), 3u + 2u + 16u);
  Bytes plain = {0x99};
  ASSERT_TRUE(b.decrypt(ByteView(out).subspan(3), plain));
  EXPECT_EQ(plain, hex("990102"));
}

TEST(TransportCipher, CounterExhaustionIsAnErrorNotAReusedNonce) {
  TransportCipher a(keys_ab());
  TransportCipher b(keys_ba());
  a.set_counters_for_testing(0xffffffffu, 0);
  b.set_counters_for_testing(0, 0xffffffffu);
  auto last = a.encrypt(hex("01"));
  ASSERT_TRUE(last);  // counter 2^32 - 1 is still a fresh nonce
  EXPECT_TRUE(b.decrypt(*last));
  auto over = a.encrypt(hex("02"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::protocol);
  EXPECT_NE(over.error().message.find("send counter exhausted"), std::string::npos);
  auto over_rx = b.decrypt(*last);
  ASSERT_FALSE(over_rx);
  EXPECT_NE(over_rx.error().message.find("receive counter exhausted"), std::string::npos);
}

}  // namespace
}  // namespace wacrm::noise
