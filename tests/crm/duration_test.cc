#include "crm/duration.h"

#include <gtest/gtest.h>

namespace wacrm::crm {
namespace {

using namespace std::chrono_literals;

TEST(Duration, AcceptsUnitsAloneAndCombined) {
  EXPECT_EQ(parse_duration("3d"), 72h);
  EXPECT_EQ(parse_duration("2h30m"), 150min);
  EXPECT_EQ(parse_duration("1w"), 168h);
  EXPECT_EQ(parse_duration("1w2d"), 216h);
  EXPECT_EQ(parse_duration("90m"), 90min);
  EXPECT_EQ(parse_duration("45s"), 45s);
  EXPECT_EQ(parse_duration("1d2h3m4s"), 26h + 3min + 4s);
  EXPECT_EQ(parse_duration("3D"), 72h);
}

TEST(Duration, RejectsWithTheAcceptedForms) {
  for (std::string_view bad : {"", "3", "d", "3x", "0d", "0h0m", "30m2h", "1d1d", "-3d", " 3d", "3 d", "1.5h",
                               "9999999999d", "40000w"}) {
    auto r = parse_duration(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_argument) << bad;
    EXPECT_NE(r.error().message.find("'" + std::string(bad) + "'"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("2h30m"), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace wacrm::crm
