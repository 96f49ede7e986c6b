#include "wire/tokens.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace wacrm::wire {
namespace {

// The spot checks of protocol notes §4.7.
TEST(Tokens, SpotChecksV3) {
  EXPECT_EQ(single_byte_token(DictVersion::v3, 3), "s.whatsapp.net");
  EXPECT_EQ(single_byte_token(DictVersion::v3, 25), "iq");
  EXPECT_EQ(single_byte_token(DictVersion::v3, 235), "screen_height");
  EXPECT_EQ(double_byte_token(DictVersion::v3, 0, 0), "read-self");
  EXPECT_EQ(double_byte_token(DictVersion::v3, 1, 0), "reject");
  EXPECT_EQ(double_byte_token(DictVersion::v3, 2, 0), "64");
  EXPECT_EQ(double_byte_token(DictVersion::v3, 3, 255), "1961");
}

TEST(Tokens, SpotChecksV2) {
  EXPECT_EQ(single_byte_token(DictVersion::v2, 3), "s.whatsapp.net");
  EXPECT_EQ(single_byte_token(DictVersion::v2, 30), "iq");
  EXPECT_EQ(single_byte_token(DictVersion::v2, 235), "media-eze1-1.cdn.whatsapp.net");
  EXPECT_EQ(double_byte_token(DictVersion::v2, 0, 0), "media-for1-1.cdn.whatsapp.net");
  EXPECT_EQ(double_byte_token(DictVersion::v2, 3, 255), "media.faqp2-3.fna.whatsapp.net");
}

TEST(Tokens, OutOfRange) {
  EXPECT_EQ(single_byte_token(DictVersion::v3, 0), std::nullopt);
  EXPECT_EQ(single_byte_token(DictVersion::v3, 236), std::nullopt);
  EXPECT_EQ(single_byte_token(DictVersion::v2, 255), std::nullopt);
  EXPECT_EQ(double_byte_token(DictVersion::v3, 4, 0), std::nullopt);
}

TEST(Tokens, FindTokenIsTheInverseOfTheTables) {
  for (auto version : {DictVersion::v2, DictVersion::v3}) {
    std::set<std::string> seen;
    for (unsigned i = 1; i < 236; ++i) {
      auto text = single_byte_token(version, static_cast<std::uint8_t>(i));
      ASSERT_TRUE(text);
      EXPECT_TRUE(seen.insert(std::string(*text)).second) << *text << " twice";
      EXPECT_EQ(find_token(version, *text), (TokenRef{std::nullopt, static_cast<std::uint8_t>(i)})) << *text;
    }
    for (unsigned d = 0; d < 4; ++d) {
      for (unsigned i = 0; i < 256; ++i) {
        auto text = double_byte_token(version, static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(i));
        ASSERT_TRUE(text);
        EXPECT_TRUE(seen.insert(std::string(*text)).second) << *text << " twice";
        EXPECT_EQ(find_token(version, *text),
                  (TokenRef{static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(i)}))
            << *text;
      }
    }
    EXPECT_EQ(seen.size(), 235u + 1024u);
  }
}

TEST(Tokens, FindTokenMisses) {
  EXPECT_EQ(find_token(DictVersion::v3, ""), std::nullopt);
  EXPECT_EQ(find_token(DictVersion::v3, "IQ"), std::nullopt);
  EXPECT_EQ(find_token(DictVersion::v3, "iq "), std::nullopt);
  EXPECT_EQ(find_token(DictVersion::v3, "remove-companion-device"), std::nullopt);
  // "device-identity" is a v3 token but not a v2 one (notes §4.8 example 3).
  EXPECT_TRUE(find_token(DictVersion::v3, "device-identity"));
  EXPECT_EQ(find_token(DictVersion::v2, "device-identity"), std::nullopt);
}

TEST(Tokens, DictVersionFromIntroByte) {
  EXPECT_EQ(dict_version_from_byte(2), DictVersion::v2);
  EXPECT_EQ(dict_version_from_byte(3), DictVersion::v3);
  auto bad = dict_version_from_byte(4);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::unsupported);
}

}  // namespace
}  // namespace wacrm::wire
