// Needs attention: cadence per contact, default, exclusions, never contacted.
#include "crm/crm_store_fixture.h"

namespace wacrm::testing {
namespace {

class AttentionTest : public CrmStoreTest {
 protected:
  std::vector<store::AttentionItem> attention(int default_cadence = 7) {
    return ok(store_.attention({h_.account_id(), kNow, default_cadence, 0}));
  }
};

TEST_F(AttentionTest, OverdueByCadenceMostOverdueFirst) {
  auto bob = h_.person("Bob", "111");      // default cadence 7: last 10 days ago, 3 days overdue
  auto carol = h_.person("Carol", "222");  // cadence 30: last 40 days ago, 10 days overdue
  auto dave = h_.person("Dave", "333");    // default: last 3 days ago, fine
  auto erin = h_.person("Erin", "444");    // cadence 2, last message (mine) 3 days ago: 1 day overdue
  h_.sql("UPDATE contacts SET cadence_days = 30 WHERE id = " + std::to_string(carol));
  h_.sql("UPDATE contacts SET cadence_days = 2 WHERE id = " + std::to_string(erin));
  h_.in(h_.chat_of(bob), kNow - 10 * 24h);
  h_.out(h_.chat_of(carol), kNow - 40 * 24h);
  h_.in(h_.chat_of(dave), kNow - 3 * 24h);
  h_.out(h_.chat_of(erin), kNow - 3 * 24h);

  auto a = attention();
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].person.id, carol);
  EXPECT_EQ(a[0].cadence_days, 30);
  EXPECT_FALSE(a[0].cadence_is_default);
  EXPECT_EQ(a[0].due_at, kNow - 10 * 24h);
  EXPECT_EQ(a[1].person.id, bob);
  EXPECT_TRUE(a[1].cadence_is_default);
  EXPECT_EQ(a[1].last_exchange, kNow - 10 * 24h);
  EXPECT_EQ(a[2].person.id, erin);

  // The default is a parameter: with 14 days Bob is fine.
  auto relaxed = attention(14);
  ASSERT_EQ(relaxed.size(), 2u);
  EXPECT_EQ(relaxed[0].person.id, carol);
  EXPECT_EQ(relaxed[1].person.id, erin);
}

TEST_F(AttentionTest, ExcludedGroupsAndReactionsDoNotCount) {
  auto bob = h_.person("Bob", "111");
  auto carol = h_.person("Carol", "222");
  auto g = h_.group("Family", "1-2@g.us");
  h_.in(h_.chat_of(bob), kNow - 20 * 24h);
  h_.in(h_.chat_of(carol), kNow - 20 * 24h);
  h_.message(h_.chat_of(g), false, kNow - 30 * 24h, {.body = "hi all", .sender_contact = bob});
  // A reaction yesterday is not keeping in touch.
  h_.message(h_.chat_of(bob), true, kNow - 24h, {.kind = "reaction", .body = "❤️"});
  h_.sql("UPDATE contacts SET attention_excluded = true WHERE id = " + std::to_string(carol));
  auto a = attention();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].person.id, bob);
  EXPECT_EQ(a[0].last_exchange, kNow - 20 * 24h);
}

TEST_F(AttentionTest, NeverContactedOnlyWithAnExplicitCadence) {
  h_.person("Stranger", "111");   // no messages, default cadence: left out
  auto friend_id = h_.contact({.jid = "222@s.whatsapp.net", .full_name = "New friend", .phone = "222",
                               .cadence_days = 14, .created_at = kNow - 20 * 24h});
  auto a = attention();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].person.id, friend_id);
  EXPECT_FALSE(a[0].last_exchange);
  EXPECT_EQ(a[0].due_at, kNow - 6 * 24h);
}

TEST_F(AttentionTest, MergedRowsShareTheLastExchange) {
  auto bob = h_.person("Bob", "111");
  auto bob_lid = h_.contact({.jid = "999@lid", .push_name = "Bobby"});
  h_.in(h_.chat_of(bob), kNow - 20 * 24h);
  h_.in(h_.chat("999@lid", bob_lid), kNow - 2 * 24h);
  ASSERT_EQ(attention().size(), 1u);   // Bob's phone row alone looks overdue
  ASSERT_TRUE(store_.merge(h_.account_id(), bob, bob_lid));
  EXPECT_TRUE(attention().empty());
}

}  // namespace
}  // namespace wacrm::testing
