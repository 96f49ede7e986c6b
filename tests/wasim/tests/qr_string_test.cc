#include "wasim/qr_string.h"

#include <gtest/gtest.h>

#include "wasim/base64.h"

namespace wacrm::wasim {
namespace {

std::string key_b64(std::uint8_t fill) { return base64_encode(Bytes(32, fill)); }

TEST(QrString, ParsesTheBareFourFieldForm) {
  std::string text = "2@abc+/=," + key_b64(1) + "," + key_b64(2) + "," + key_b64(3);
  auto qr = parse_qr_string(text);
  ASSERT_TRUE(qr) << qr.error().to_string();
  EXPECT_EQ(qr->ref, "2@abc+/=");
  EXPECT_EQ(qr->noise_key, Bytes(32, 1));
  EXPECT_EQ(qr->identity_key, Bytes(32, 2));
  EXPECT_EQ(qr->adv_secret, Bytes(32, 3));
  EXPECT_EQ(qr->platform_id, "");
}

TEST(QrString, ParsesTheUrlFormWithPlatform) {
  std::string text = "https://wa.me/settings/linked_devices#REF," + key_b64(4) + "," + key_b64(5) + "," + key_b64(6) + ",1";
  auto qr = parse_qr_string(text);
  ASSERT_TRUE(qr) << qr.error().to_string();
  EXPECT_EQ(qr->ref, "REF");
  EXPECT_EQ(qr->noise_key, Bytes(32, 4));
  EXPECT_EQ(qr->platform_id, "1");
}

TEST(QrString, RefusesWrongFieldCountsAndKeys) {
  EXPECT_FALSE(parse_qr_string("REF," + key_b64(1) + "," + key_b64(2)));
  // The URL form needs its platform field; the bare form must not have one.
  EXPECT_FALSE(parse_qr_string("https://wa.me/settings/linked_devices#REF," + key_b64(1) + "," + key_b64(2) + "," + key_b64(3)));
  EXPECT_FALSE(parse_qr_string("REF," + key_b64(1) + "," + key_b64(2) + "," + key_b64(3) + ",1"));
  auto short_key = parse_qr_string("REF," + base64_encode(Bytes(31, 1)) + "," + key_b64(2) + "," + key_b64(3));
  ASSERT_FALSE(short_key);
  EXPECT_NE(short_key.error().message.find("noise key"), std::string::npos);
  EXPECT_FALSE(parse_qr_string("REF,not base64!," + key_b64(2) + "," + key_b64(3)));
  EXPECT_FALSE(parse_qr_string("," + key_b64(1) + "," + key_b64(2) + "," + key_b64(3)));
}

TEST(Base64, RoundTripsAndRefusesNonCanonicalText) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 31u, 32u, 33u}) {
    Bytes data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 37 + 1);
    auto back = base64_decode(base64_encode(data));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, data);
  }
  EXPECT_FALSE(base64_decode("abc"));
  EXPECT_FALSE(base64_decode("ab=c"));
}

}  // namespace
}  // namespace wacrm::wasim
