#include "signal/padding.h"

#include <gtest/gtest.h>

namespace wacrm::signal {
namespace {

// The notes' example: 0a 02 68 69 03 03 03 -> Message{conversation:"hi"}.
TEST(PaddingTest, StripsTheNotesExample) {
  Bytes padded{0x0a, 0x02, 0x68, 0x69, 0x03, 0x03, 0x03};
  auto stripped = strip_padding(padded);
  ASSERT_TRUE(stripped) << stripped.error().to_string();
  EXPECT_EQ(*stripped, (Bytes{0x0a, 0x02, 0x68, 0x69}));
}

TEST(PaddingTest, RandomPaddingIsOneToFifteenEqualBytesAndRoundTrips) {
  Bytes message{0x0a, 0x02, 0x68, 0x69};
  bool seen_long = false, seen_short = false;
  for (int i = 0; i < 300; ++i) {
    auto padded = add_padding(message);
    ASSERT_TRUE(padded);
    std::size_t n = padded->size() - message.size();
    ASSERT_GE(n, 1u);
    ASSERT_LE(n, 15u);
    for (std::size_t j = message.size(); j < padded->size(); ++j) ASSERT_EQ((*padded)[j], n);
    seen_long |= n > 8;
    seen_short |= n <= 8;
    auto stripped = strip_padding(*padded);
    ASSERT_TRUE(stripped);
    ASSERT_EQ(*stripped, message);
  }
  EXPECT_TRUE(seen_long && seen_short) << "padding length does not vary";
}

TEST(PaddingTest, PaddingOfAnEmptyMessageStripsToEmpty) {
  auto stripped = strip_padding(add_padding(ByteView{}, 15));
  ASSERT_TRUE(stripped);
  EXPECT_TRUE(stripped->empty());
}

TEST(PaddingTest, RejectsInvalidPadding) {
  struct Case {
    const char* why;
    Bytes bytes;
  };
  const Case cases[] = {
      {"empty", {}},
      {"zero length byte", {0x0a, 0x00}},
      {"longer than the message", {0x05, 0x05, 0x05}},
      {"bytes differ from the length", {0x0a, 0x02, 0x68, 0x01, 0x03, 0x03}},
  };
  for (const auto& c : cases) {
    auto stripped = strip_padding(c.bytes);
    ASSERT_FALSE(stripped) << c.why;
    EXPECT_EQ(stripped.error().kind, SignalErrc::bad_padding) << c.why;
    EXPECT_FALSE(needs_retry_receipt(stripped.error().kind));
  }
}

}  // namespace
}  // namespace wacrm::signal
