#include "base/bytes.h"

#include <gtest/gtest.h>

namespace wacrm {
namespace {

TEST(Bytes, HexRoundTrip) {
  Bytes b{0x00, 0x57, 0x41, 0xff};
  EXPECT_EQ(to_hex(b), "005741ff");
  Bytes back;
  ASSERT_TRUE(from_hex("005741FF", back));
  EXPECT_EQ(back, b);
}

TEST(Bytes, HexRejectsBadInput) {
  Bytes out;
  EXPECT_FALSE(from_hex("abc", out));
  EXPECT_FALSE(from_hex("zz", out));
}

}  // namespace
}  // namespace wacrm
