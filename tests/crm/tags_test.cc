#include "crm/tags.h"

#include <gtest/gtest.h>

namespace wacrm::crm {
namespace {

TEST(Tags, NormalizeLowersAsciiAndKeepsOthers) {
  EXPECT_EQ(normalize_tag("Work"), "work");
  EXPECT_EQ(normalize_tag("Çafé-Crew"), "Çafé-crew");
  EXPECT_EQ(normalize_tag(std::string(64, 'x')), std::string(64, 'x'));
  // 64 characters of two bytes each is still 64 characters.
  std::string umlauts;
  for (int i = 0; i < 64; ++i) umlauts += "ü";
  EXPECT_TRUE(normalize_tag(umlauts));
}

TEST(Tags, RejectsSpacesEmptyAndLong) {
  for (std::string bad : {std::string(""), std::string("two words"), std::string("tab\there"), std::string(65, 'x')}) {
    auto r = normalize_tag(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_NE(r.error().message.find("without spaces"), std::string::npos);
  }
}

TEST(Tags, ListDropsDuplicatesAndFailsWhole) {
  EXPECT_EQ(normalize_tags({"Work", "work", "gym"}), (std::vector<std::string>{"work", "gym"}));
  EXPECT_FALSE(normalize_tags({"ok", "not ok"}));
  EXPECT_FALSE(normalize_tags({}));
}

}  // namespace
}  // namespace wacrm::crm
