#include "signal/address.h"

#include <gtest/gtest.h>

namespace wacrm::signal {
namespace {

TEST(AddressTest, FollowsWhatsmeowNaming) {
  EXPECT_EQ(signal_address_for("491701234567", "s.whatsapp.net", 0).value(), (Address{"491701234567", 0}));
  EXPECT_EQ(signal_address_for("491701234567", "c.us", 3).value(), (Address{"491701234567", 3}));
  EXPECT_EQ(signal_address_for("123456789012345", "lid", 5).value(), (Address{"123456789012345_1", 5}));
  EXPECT_EQ(signal_address_for("777", "hosted", 0).value(), (Address{"777_128", 0}));
  EXPECT_EQ(signal_address_for("777", "hosted.lid", 99).value(), (Address{"777_129", 99}));
  EXPECT_EQ((Address{"123_1", 5}).to_string(), "123_1:5");
}

TEST(AddressTest, PnAndLidOfTheSameNumberDoNotCollide) {
  EXPECT_NE(signal_address_for("123", "s.whatsapp.net", 0).value(), signal_address_for("123", "lid", 0).value());
}

TEST(AddressTest, RejectsWhatIsNotADevice) {
  EXPECT_EQ(signal_address_for("120363000000@", "g.us", 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(signal_address_for("1203630000", "g.us", 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(signal_address_for("status", "broadcast", 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(signal_address_for("", "s.whatsapp.net", 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(signal_address_for("49170:3", "s.whatsapp.net", 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(signal_address_for("49170_1", "s.whatsapp.net", 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(signal_address_for("49170", "s.whatsapp.net", -1).error().code, Errc::invalid_argument);
  EXPECT_EQ(signal_address_for("49170", "s.whatsapp.net", 65536).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace wacrm::signal
