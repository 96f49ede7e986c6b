#include "wasim/scenario.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "support/test_env.h"

namespace wacrm::wasim {
namespace {

TEST(Scenario, ParsesAccountsContactsAndConversations) {
  auto json = nlohmann::json::parse(R"({
    "accounts": [
      {"phone": "15550001111", "push_name": "Alice", "lid": "201234567890123",
       "contacts": [{"phone": "15550002222", "name": "Bob Builder"}]},
      {"phone": "15550002222", "push_name": "Bob", "business_name": "Bob's Bikes"}
    ],
    "conversations": [
      {"name": "greet", "trigger": "on_first_login", "to": "15550001111",
       "messages": [{"from": "15550002222", "text": "Hi"}, {"from": "15550002222", "text": "There", "delay_ms": 500}]}
    ]})");
  auto scenario = parse_scenario(json);
  ASSERT_TRUE(scenario) << scenario.error().to_string();
  ASSERT_EQ(scenario->accounts.size(), 2u);
  EXPECT_EQ(scenario->accounts[0].lid, "201234567890123");
  ASSERT_EQ(scenario->accounts[0].contacts.size(), 1u);
  EXPECT_EQ(scenario->accounts[0].contacts[0].name, "Bob Builder");
  EXPECT_EQ(scenario->accounts[1].business_name, "Bob's Bikes");
  ASSERT_EQ(scenario->conversations.size(), 1u);
  const auto& c = scenario->conversations[0];
  EXPECT_EQ(c.trigger, Conversation::Trigger::on_first_login);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[1].delay_ms, 500u);
  EXPECT_EQ(c.messages[1].send["to"], "15550001111");  // the conversation's `to` is filled in
  EXPECT_FALSE(c.messages[1].send.contains("delay_ms"));
}

TEST(Scenario, RefusesMalformedEntries) {
  EXPECT_FALSE(parse_scenario(nlohmann::json::parse(R"({"accounts": [{"push_name": "no phone"}]})")));
  EXPECT_FALSE(parse_scenario(nlohmann::json::parse(R"({"accounts": [{"phone": 15550001111}]})")));
  EXPECT_FALSE(parse_scenario(
      nlohmann::json::parse(R"({"conversations": [{"to": "1", "trigger": "sometimes", "messages": [{"from": "2"}]}]})")));
  EXPECT_FALSE(parse_scenario(nlohmann::json::parse(R"({"conversations": [{"to": "1", "messages": [{"text": "x"}]}]})")));
  EXPECT_FALSE(parse_scenario(nlohmann::json::parse(R"({"conversations": [{"to": "1", "messages": []}]})")));
}

TEST(Scenario, TheShippedExamplesLoad) {
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(testing::source_dir()) / "tests/wasim/scenarios")) {
    auto scenario = load_scenario(entry.path());
    EXPECT_TRUE(scenario) << entry.path() << ": " << scenario.error().to_string();
  }
}

}  // namespace
}  // namespace wacrm::wasim
