// crm.pending, crm.pending.dismiss, crm.attention, crm.summary, crm.search
// through the method table.
#include "crm/crm_api_fixture.h"

namespace wacrm::testing {
namespace {

class ConversationMethodsTest : public CrmApiTest {};

TEST_F(ConversationMethodsTest, PendingWithWaitTimeAndDismissByName) {
  auto bob = h_.person("Bob", "111");
  h_.in(h_.chat_of(bob), kNow - 90min, "lunch?");
  control::CrmPendingRequest req;
  auto res = ok(call<control::CrmPendingResponse>("crm.pending", req));
  ASSERT_EQ(res.items_size(), 1);
  EXPECT_EQ(res.items(0).waiting_seconds(), 5400);
  EXPECT_EQ(res.items(0).last_message().text(), "lunch?");

  control::CrmPendingDismissRequest dismiss;
  dismiss.set_contact("bob");
  EXPECT_EQ(ok(call<control::CrmPendingDismissResponse>("crm.pending.dismiss", dismiss)).person().name(), "Bob");
  EXPECT_EQ(ok(call<control::CrmPendingResponse>("crm.pending", req)).items_size(), 0);
}

TEST_F(ConversationMethodsTest, AttentionUsesTheConfiguredDefault) {
  auto bob = h_.person("Bob", "111");
  h_.out(h_.chat_of(bob), kNow - 10 * 24h);
  control::CrmAttentionRequest req;
  auto res = ok(call<control::CrmAttentionResponse>("crm.attention", req));
  ASSERT_EQ(res.items_size(), 1);
  EXPECT_EQ(res.default_cadence_days(), 7);
  EXPECT_EQ(res.items(0).overdue_seconds(), 3 * 86400);
  settings_.default_cadence_days = 14;
  EXPECT_EQ(ok(call<control::CrmAttentionResponse>("crm.attention", req)).items_size(), 0);
}

TEST_F(ConversationMethodsTest, SummaryCountsTodayInTheZone) {
  auto bob = h_.person("Bob", "111");
  auto carol = h_.person("Carol", "222");
  // kNow is 14:00 in Berlin; Berlin's today began at 22:00 UTC yesterday.
  h_.in(h_.chat_of(bob), kNow - 13h, "before Berlin midnight");    // 23:00 UTC Sun = 01:00 Mon Berlin
  h_.in(h_.chat_of(bob), kNow - 15h, "Sunday in Berlin");          // 21:00 UTC = 23:00 Sun Berlin
  h_.out(h_.chat_of(carol), kNow - 30 * 24h);
  ok(store_.add_reminder(h_.account_id(), std::nullopt, "due", kNow - 1h));
  ok(store_.add_reminder(h_.account_id(), std::nullopt, "later", kNow + 1h));

  control::CrmSummaryRequest req;
  auto res = ok(call<control::CrmSummaryResponse>("crm.summary", req));
  EXPECT_EQ(res.pending(), 1);
  EXPECT_EQ(res.attention(), 1);       // Carol
  EXPECT_EQ(res.reminders_due(), 1);
  EXPECT_EQ(res.messages_today(), 1);
  ASSERT_EQ(res.recent_size(), 2);
  EXPECT_EQ(res.recent(0).person().name(), "Bob");
  EXPECT_EQ(res.recent(0).last_message().text(), "before Berlin midnight");

  req.set_time_zone("UTC");            // UTC's today began at 00:00: neither message
  EXPECT_EQ(ok(call<control::CrmSummaryResponse>("crm.summary", req)).messages_today(), 0);
}

// The summary counts in SQL: exactly as many as the lists show, whatever
// each list leaves out (groups, dismissed chats, excluded people, answered
// chats, people without any message).
TEST_F(ConversationMethodsTest, SummaryCountsAreTheListsLengths) {
  auto bob = h_.person("Bob", "111");
  auto carol = h_.person("Carol", "222");
  auto dan = h_.person("Dan", "333");
  auto erin = h_.person("Erin", "444");
  (void)h_.person("Frank", "555");                             // never written to: in no list
  auto club = h_.group("Book club", "120363000000000001@g.us");
  h_.in(h_.chat_of(bob), kNow - 2h, "call me");                // pending, not overdue for attention
  h_.in(h_.chat_of(carol), kNow - 20 * 24h, "long ago");       // pending and needs attention
  h_.out(h_.chat_of(dan), kNow - 9 * 24h);                     // needs attention only
  h_.in(h_.chat_of(erin), kNow - 3h, "answered");              // answered: neither
  h_.out(h_.chat_of(erin), kNow - 1h);
  h_.in(h_.chat_of(club), kNow - 1h, "group question");        // groups are not in the summary

  control::CrmPendingRequest pending;
  control::CrmAttentionRequest attention;
  control::CrmSummaryRequest summary;
  auto check = [&](std::int64_t expected_pending, std::int64_t expected_attention) {
    auto listed_pending = ok(call<control::CrmPendingResponse>("crm.pending", pending)).items_size();
    auto listed_attention = ok(call<control::CrmAttentionResponse>("crm.attention", attention)).items_size();
    auto counts = ok(call<control::CrmSummaryResponse>("crm.summary", summary));
    EXPECT_EQ(listed_pending, expected_pending);
    EXPECT_EQ(listed_attention, expected_attention);
    EXPECT_EQ(counts.pending(), listed_pending);
    EXPECT_EQ(counts.attention(), listed_attention);
  };
  check(2, 2);

  control::CrmPendingDismissRequest dismiss;
  dismiss.set_contact("Bob");
  ok(call<control::CrmPendingDismissResponse>("crm.pending.dismiss", dismiss));
  ASSERT_TRUE(store_.update_settings(h_.account_id(), dan, {.attention_excluded = true}));
  check(1, 1);
}

TEST_F(ConversationMethodsTest, SearchWithSnippetPartsAndDateRange) {
  auto bob = h_.person("Bob", "111");
  h_.in(h_.chat_of(bob), kNow - 2 * 24h, "the blue house by the lake");
  h_.out(h_.chat_of(bob), kNow - 24h, "blue house sounds good");
  control::CrmSearchRequest req;
  req.set_query("blue house");
  req.set_contact("Bob");
  auto res = ok(call<control::CrmSearchResponse>("crm.search", req));
  ASSERT_EQ(res.hits_size(), 2);
  const auto& hit = res.hits(0);
  EXPECT_EQ(hit.sender(), "Me");
  // "blue" " " "house" " sounds good": matches and plain text alternate.
  ASSERT_EQ(hit.snippet_size(), 4);
  EXPECT_EQ(hit.snippet(0).text(), "blue");
  EXPECT_TRUE(hit.snippet(0).match());
  EXPECT_EQ(hit.snippet(1).text(), " ");
  EXPECT_FALSE(hit.snippet(1).match());
  EXPECT_EQ(hit.snippet(2).text(), "house");
  EXPECT_TRUE(hit.snippet(2).match());
  EXPECT_EQ(hit.snippet(3).text(), " sounds good");

  // A date alone as the end covers that whole day (Berlin): 2024-06-01 is
  // kNow - 2 days.
  req.set_to("2024-06-01");
  EXPECT_EQ(ok(call<control::CrmSearchResponse>("crm.search", req)).hits_size(), 1);
  req.set_from("2024-06-02");
  req.clear_to();
  EXPECT_EQ(ok(call<control::CrmSearchResponse>("crm.search", req)).hits_size(), 1);
  req.set_to("2024-06-01");
  auto empty_range = call<control::CrmSearchResponse>("crm.search", req);
  ASSERT_FALSE(empty_range);
  EXPECT_EQ(empty_range.error().error.code, Errc::invalid_argument);

  control::CrmSearchRequest direction;
  direction.set_query("blue");
  direction.set_direction(control::CRM_DIRECTION_INBOUND);
  EXPECT_EQ(ok(call<control::CrmSearchResponse>("crm.search", direction)).hits_size(), 1);
  direction.set_query("  ");
  EXPECT_FALSE(call<control::CrmSearchResponse>("crm.search", direction));
}

TEST_F(ConversationMethodsTest, MalformedPayloadAndAccounts) {
  const auto* m = crm::find_crm_method("crm.pending");
  ASSERT_NE(m, nullptr);
  crm::CrmContext ctx{store_, settings_, now_};
  auto r = m->unary(ctx, "\xff\xff\xff");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, Errc::malformed);
  EXPECT_EQ(crm::find_crm_method("crm.nope"), nullptr);

  control::CrmPendingRequest req;
  req.set_account("nobody");
  auto unknown = call<control::CrmPendingResponse>("crm.pending", req);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().error.code, Errc::not_found);
  // With a second account, an empty name is ambiguous.
  CrmHistory second(conn_, "bob");
  req.clear_account();
  auto ambiguous = call<control::CrmPendingResponse>("crm.pending", req);
  ASSERT_FALSE(ambiguous);
  EXPECT_EQ(ambiguous.error().error.code, Errc::invalid_argument);
  EXPECT_NE(ambiguous.error().error.message.find("alice, bob"), std::string::npos);
}

}  // namespace
}  // namespace wacrm::testing
