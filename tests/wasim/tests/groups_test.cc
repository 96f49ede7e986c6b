#include "wasim/groups.h"

#include <gtest/gtest.h>

#include "signal/context.h"
#include "wasim/scenario.h"

namespace wacrm::wasim {
namespace {

class GroupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto context = signal::Context::create();
    ASSERT_TRUE(context);
    context_.emplace(std::move(*context));
    for (const char* phone : {"15550001111", "15550002222", "15550003333"})
      ASSERT_TRUE(directory_.create({phone, "", "", "", {}}, *context_));
  }
  std::optional<signal::Context> context_;
  Directory directory_;
  Groups groups_{directory_};
};

TEST_F(GroupsTest, ACreatedGroupHasItsCreatorFirstAndIsFoundByJidOrId) {
  auto group = groups_.create({{"id", "120363000000000001@g.us"},
                               {"subject", "Book club"},
                               {"creator", "15550002222"},
                               {"participants", {"15550001111", "15550002222", "15550003333"}}});
  ASSERT_TRUE(group) << group.error().to_string();
  EXPECT_EQ((*group)->jid().to_string(), "120363000000000001@g.us");
  EXPECT_EQ((*group)->participants, (std::vector<std::string>{"15550002222", "15550001111", "15550003333"}));
  EXPECT_EQ(groups_.find("120363000000000001@g.us"), *group);
  EXPECT_EQ(groups_.find("120363000000000001"), *group);
  EXPECT_EQ(groups_.find("120363000000000001@s.whatsapp.net"), nullptr);
  EXPECT_EQ(groups_.of_member("15550003333").size(), 1u);

  auto fresh = groups_.create({{"subject", "No id given"}, {"creator", "15550001111"}});
  ASSERT_TRUE(fresh);
  EXPECT_EQ((*fresh)->id.rfind("120363", 0), 0u);
  EXPECT_EQ((*fresh)->participants, (std::vector<std::string>{"15550001111"}));
  EXPECT_EQ(groups_.of_member("15550003333").size(), 1u);
}

TEST_F(GroupsTest, BadRequestsAreRefusedWithTheRightCode) {
  auto code = [&](const nlohmann::json& request) {
    auto made = groups_.create(request);
    return made ? Errc::internal : made.error().code;
  };
  EXPECT_EQ(code({{"creator", "15550001111"}}), Errc::invalid_argument);  // no subject
  EXPECT_EQ(code({{"subject", "x"}, {"creator", "15559999999"}}), Errc::not_found);
  EXPECT_EQ(code({{"subject", "x"}, {"creator", "15550001111"}, {"participants", {"15559999999"}}}), Errc::not_found);
  EXPECT_EQ(code({{"subject", "x"}, {"creator", "15550001111"}, {"id", "12ab"}}), Errc::invalid_argument);
  EXPECT_EQ(code({{"subject", "x"}, {"creator", "15550001111"}, {"id", "1@s.whatsapp.net"}}), Errc::invalid_argument);
  ASSERT_TRUE(groups_.create({{"subject", "x"}, {"creator", "15550001111"}, {"id", "42"}}));
  EXPECT_EQ(code({{"subject", "y"}, {"creator", "15550001111"}, {"id", "42"}}), Errc::already_exists);
}

TEST_F(GroupsTest, TheMetadataNodeHasTheServersShape) {
  auto group = groups_.create(
      {{"id", "7"}, {"subject", "Team"}, {"creator", "15550001111"}, {"participants", {"15550002222"}}});
  ASSERT_TRUE(group);
  wire::Node node = group_node(**group);
  EXPECT_EQ(node.tag, "group");
  EXPECT_EQ(node.attr_or("id"), "7");  // the bare id, not the JID
  EXPECT_EQ(node.attr_or("subject"), "Team");
  EXPECT_EQ(node.attr_or("creator"), "15550001111@s.whatsapp.net");
  EXPECT_EQ(node.attr_or("s_o"), "15550001111@s.whatsapp.net");
  EXPECT_EQ(node.attr_or("addressing_mode"), "pn");
  auto participants = node.children("participant");
  ASSERT_EQ(participants.size(), 2u);
  EXPECT_EQ(participants[0]->attr_or("jid"), "15550001111@s.whatsapp.net");
  EXPECT_EQ(participants[0]->attr_or("type"), "superadmin");
  EXPECT_EQ(participants[1]->attr_or("jid"), "15550002222@s.whatsapp.net");
  EXPECT_FALSE(participants[1]->attr("type"));
}

TEST(ScenarioGroups, AreKeptForWorldToCreateAfterTheAccounts) {
  auto scenario = parse_scenario(nlohmann::json::parse(
      R"({"groups": [{"id": "9", "subject": "S", "creator": "15550001111", "participants": ["15550002222"]}]})"));
  ASSERT_TRUE(scenario) << scenario.error().to_string();
  ASSERT_EQ(scenario->groups.size(), 1u);
  EXPECT_EQ(scenario->groups[0].value("subject", ""), "S");
  EXPECT_FALSE(parse_scenario(nlohmann::json::parse(R"({"groups": ["not an object"]})")));
}

}  // namespace
}  // namespace wacrm::wasim
