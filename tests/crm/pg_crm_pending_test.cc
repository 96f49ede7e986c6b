// Pending replies and the overdue-reply events, on hand-built histories.
#include <gtest/gtest.h>

#include "crm/crm_store_fixture.h"

namespace wacrm::testing {
namespace {

class PendingTest : public CrmStoreTest {
 protected:
  std::vector<store::PendingReply> pending(bool groups = false) {
    return ok(store_.pending({h_.account_id(), kNow, groups, 0}));
  }
};

TEST_F(PendingTest, LatestInboundIsPendingOldestWaitFirstWithPreview) {
  auto bob = h_.person("Bob", "111");
  auto carol = h_.person("Carol", "222");
  auto dave = h_.person("Dave", "333");
  // Bob: I wrote, he wrote twice since: waiting since his first.
  h_.out(h_.chat_of(bob), kNow - 10h);
  h_.in(h_.chat_of(bob), kNow - 5h, "first");
  h_.in(h_.chat_of(bob), kNow - 4h, "are you there?");
  // Carol: waiting longer (3 days), never answered at all.
  h_.in(h_.chat_of(carol), kNow - 72h, "long ago");
  // Dave: answered.
  h_.in(h_.chat_of(dave), kNow - 2h);
  h_.out(h_.chat_of(dave), kNow - 1h);

  auto p = pending();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].person.name, "Carol");
  EXPECT_EQ(p[0].waiting_since, kNow - 72h);
  EXPECT_EQ(p[0].unanswered, 1);
  EXPECT_EQ(p[1].person.name, "Bob");
  EXPECT_EQ(p[1].person.id, bob);
  EXPECT_EQ(p[1].chat_jid, "111@s.whatsapp.net");
  EXPECT_EQ(p[1].waiting_since, kNow - 5h);
  EXPECT_EQ(p[1].unanswered, 2);
  EXPECT_EQ(p[1].last.text, "are you there?");
  EXPECT_FALSE(p[1].last.from_me);
  EXPECT_EQ(p[1].last.sent_at, kNow - 4h);
}

TEST_F(PendingTest, OnlyOutboundIsNotPending) {
  auto bob = h_.person("Bob", "111");
  h_.out(h_.chat_of(bob), kNow - 3h);
  h_.out(h_.chat_of(bob), kNow - 2h);
  EXPECT_TRUE(pending().empty());
}

TEST_F(PendingTest, MyReactionSystemRevokeAndPlaceholderAreNoAnswer) {
  auto bob = h_.person("Bob", "111");
  auto chat = h_.chat_of(bob);
  h_.in(chat, kNow - 5h, "dinner tonight?");
  h_.message(chat, true, kNow - 4h, {.kind = "reaction", .body = "👍"});
  h_.message(chat, true, kNow - 3h, {.kind = "system", .body = "security code changed"});
  h_.message(chat, true, kNow - 2h, {.kind = "placeholder"});
  h_.message(chat, true, kNow - 90min, {.kind = "edit", .body = "x"});
  h_.message(chat, true, kNow - 80min, {.kind = "revoke"});
  // A reply I then deleted for everyone is no answer either.
  h_.message(chat, true, kNow - 70min, {.body = "oops", .deleted = true});
  auto p = pending();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].last.text, "dinner tonight?");
  EXPECT_EQ(p[0].waiting_since, kNow - 5h);
}

TEST_F(PendingTest, TheirReactionAfterMyMessageDoesNotMakeItPending) {
  auto bob = h_.person("Bob", "111");
  auto chat = h_.chat_of(bob);
  h_.in(chat, kNow - 5h);
  h_.out(chat, kNow - 4h, "see you at 8");
  h_.message(chat, false, kNow - 3h, {.kind = "reaction", .body = "👍"});
  EXPECT_TRUE(pending().empty());
}

TEST_F(PendingTest, GroupsOnlyWhenAsked) {
  auto g = h_.group("Climbing", "123-456@g.us");
  auto bob = h_.contact({.jid = "111@s.whatsapp.net", .full_name = "Bob", .phone = "111"});
  h_.message(h_.chat_of(g), false, kNow - 1h, {.body = "who's in?", .sender_contact = bob, .sender_jid = "111@s.whatsapp.net"});
  EXPECT_TRUE(pending(false).empty());
  auto p = pending(true);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0].person.is_group);
  EXPECT_EQ(p[0].person.name, "Climbing");
  EXPECT_EQ(p[0].chat_jid, "123-456@g.us");
}

TEST_F(PendingTest, MergedContactsAreOneConversation) {
  // Bob wrote on his LID chat; I answered on his phone-number chat.
  auto bob = h_.person("Bob", "111");
  auto bob_lid = h_.contact({.jid = "999@lid", .push_name = "Bobby"});
  auto lid_chat = h_.chat("999@lid", bob_lid);
  h_.in(lid_chat, kNow - 3h, "ping");
  h_.out(h_.chat_of(bob), kNow - 2h, "pong");
  // Unmerged: the LID chat looks unanswered.
  auto before = pending();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].person.name, "Bobby");

  ASSERT_TRUE(store_.merge(h_.account_id(), bob, bob_lid));
  EXPECT_TRUE(pending().empty());

  // Another message on the LID chat: pending, shown under the root's name.
  h_.in(lid_chat, kNow - 1h, "still there?");
  auto after = pending();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].person.id, bob);
  EXPECT_EQ(after[0].person.name, "Bob");
  EXPECT_EQ(after[0].chat_jid, "999@lid");
  EXPECT_EQ(after[0].unanswered, 1);

  ASSERT_TRUE(store_.unmerge(h_.account_id(), bob_lid));
  auto unmerged = pending();
  ASSERT_EQ(unmerged.size(), 1u);
  EXPECT_EQ(unmerged[0].person.id, bob_lid);
  EXPECT_EQ(unmerged[0].unanswered, 2);
}

TEST_F(PendingTest, DismissedUntilTheNextInboundMessage) {
  auto bob = h_.person("Bob", "111");
  auto chat = h_.chat_of(bob);
  h_.in(chat, kNow - 3h, "fyi");
  std::vector<std::int64_t> chats{chat};
  ASSERT_TRUE(store_.dismiss_pending(h_.account_id(), chats, kNow - 2h));
  EXPECT_TRUE(pending().empty());
  h_.in(chat, kNow - 1h, "and another thing");
  auto p = pending();
  ASSERT_EQ(p.size(), 1u);
  // Still waiting since the first unanswered message.
  EXPECT_EQ(p[0].waiting_since, kNow - 3h);
  EXPECT_EQ(p[0].unanswered, 2);
}

TEST_F(PendingTest, UpdatesAndDeletesMoveTheLatestMessageBack) {
  // The per-chat state behind pending (crm_chat_state) follows every change.
  auto bob = h_.person("Bob", "111");
  auto chat = h_.chat_of(bob);
  h_.in(chat, kNow - 3h, "question");
  auto reply = h_.out(chat, kNow - 2h, "answer");
  EXPECT_TRUE(pending().empty());
  // I delete my answer for everyone: waiting again.
  h_.sql("UPDATE messages SET deleted_at = now() WHERE id = " + std::to_string(reply));
  ASSERT_EQ(pending().size(), 1u);
  // Receipts and edits change nothing.
  h_.sql("UPDATE messages SET status = 'read', body = 'edited' WHERE chat_id = " + std::to_string(chat));
  ASSERT_EQ(pending().size(), 1u);
  // Their question is deleted from the store: nothing waits.
  h_.sql("DELETE FROM messages WHERE body = 'edited' AND NOT from_me");
  EXPECT_TRUE(pending().empty());
  // Old history arriving later does not hide a newer answer.
  h_.out(chat, kNow - 1h, "new answer");
  h_.sql("INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind, body) "
         "SELECT account_id, id, 'OLD' || i, jid, false, '2023-01-01T00:00:00Z'::timestamptz - i * interval '1 minute', "
         "'text', 'old' FROM chats, generate_series(1, 50) i WHERE id = " + std::to_string(chat));
  EXPECT_TRUE(pending().empty());
  // The state kept up by the triggers equals a recomputation from scratch.
  const std::string state =
      "SELECT row(chat_id, last_at, last_id, last_from_me, last_in_at, last_in_id, last_out_at, last_out_id)::text "
      "FROM crm_chat_state";
  auto before = h_.sql(state);
  h_.sql("SELECT crm_refresh_chat_state(array_agg(id)) FROM chats");
  EXPECT_EQ(h_.sql(state), before);
}

TEST_F(PendingTest, OverdueEventIsClaimedOncePerWait) {
  auto bob = h_.person("Bob", "111");
  auto carol = h_.person("Carol", "222");
  auto chat = h_.chat_of(bob);
  h_.in(chat, kNow - 30h, "question");
  h_.in(h_.chat_of(carol), kNow - 2h, "recent");   // not overdue yet

  auto first = store_.claim_overdue_pending(kNow, 24h);
  ASSERT_TRUE(first) << first.error().to_string();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].account, "alice");
  EXPECT_EQ((*first)[0].pending.person.name, "Bob");
  auto again = store_.claim_overdue_pending(kNow + 1h, 24h);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());

  // I answer, Bob writes again, and that wait becomes overdue: a new event.
  h_.out(chat, kNow + 2h);
  h_.in(chat, kNow + 3h, "next question");
  auto next = store_.claim_overdue_pending(kNow + 28h, 24h);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 2u);   // Carol's wait is overdue by now too
  EXPECT_EQ((*next)[0].pending.person.name, "Carol");
  EXPECT_EQ((*next)[1].pending.waiting_since, kNow + 3h);
}

}  // namespace
}  // namespace wacrm::testing
