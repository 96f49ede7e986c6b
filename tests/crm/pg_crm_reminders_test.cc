// Reminders: add, list, done, snooze, and due events raised exactly once.
#include <thread>

#include "crm/crm_store_fixture.h"

namespace wacrm::testing {
namespace {

class RemindersTest : public CrmStoreTest {};

TEST_F(RemindersTest, AddListDoneSnooze) {
  auto bob = h_.person("Bob", "1");
  auto a = ok(store_.add_reminder(h_.account_id(), bob, "call about the flat", kNow + 3 * 24h));
  auto b = ok(store_.add_reminder(h_.account_id(), std::nullopt, "renew passport", kNow + 24h));
  ASSERT_TRUE(a.person);
  EXPECT_EQ(a.person->name, "Bob");
  EXPECT_FALSE(b.person);

  auto open = ok(store_.reminders(h_.account_id(), false));
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, b.id);   // soonest first
  EXPECT_EQ(open[1].due_at, kNow + 3 * 24h);

  auto done = ok(store_.complete_reminder(h_.account_id(), b.id, kNow));
  EXPECT_EQ(done.done_at, kNow);
  auto twice = ok(store_.complete_reminder(h_.account_id(), b.id, kNow + 1h));
  EXPECT_EQ(twice.done_at, kNow);   // the first completion stands
  EXPECT_EQ(ok(store_.reminders(h_.account_id(), false)).size(), 1u);
  EXPECT_EQ(ok(store_.reminders(h_.account_id(), true)).size(), 2u);

  auto moved = ok(store_.reschedule_reminder(h_.account_id(), a.id, kNow + 5 * 24h));
  EXPECT_EQ(moved.due_at, kNow + 5 * 24h);
  auto snooze_done = store_.reschedule_reminder(h_.account_id(), b.id, kNow + 24h);
  ASSERT_FALSE(snooze_done);
  EXPECT_EQ(snooze_done.error().code, Errc::invalid_argument);
  auto missing = store_.complete_reminder(h_.account_id(), 999999, kNow);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_F(RemindersTest, RemindersOfAMergedRowShowTheRoot) {
  auto bob = h_.person("Bob", "1");
  auto bob_lid = h_.contact({.jid = "9@lid"});
  ok(store_.add_reminder(h_.account_id(), bob_lid, "x", kNow + 24h));
  ASSERT_TRUE(store_.merge(h_.account_id(), bob, bob_lid));
  auto list = ok(store_.reminders(h_.account_id(), false));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].person->id, bob);
}

TEST_F(RemindersTest, DueEventsAreClaimedOnceAndSnoozingRearms) {
  auto r1 = ok(store_.add_reminder(h_.account_id(), std::nullopt, "due", kNow - 1min));
  ok(store_.add_reminder(h_.account_id(), std::nullopt, "later", kNow + 1h));
  auto done = ok(store_.add_reminder(h_.account_id(), std::nullopt, "done already", kNow - 2h));
  ok(store_.complete_reminder(h_.account_id(), done.id, kNow - 1h));

  auto first = ok(store_.claim_due_reminders(kNow));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].account, "alice");
  EXPECT_EQ(first[0].reminder.id, r1.id);
  EXPECT_EQ(first[0].reminder.notified_at, kNow);
  EXPECT_TRUE(ok(store_.claim_due_reminders(kNow + 1min)).empty());

  ok(store_.reschedule_reminder(h_.account_id(), r1.id, kNow + 30min));
  EXPECT_TRUE(ok(store_.claim_due_reminders(kNow + 10min)).empty());
  auto rearmed = ok(store_.claim_due_reminders(kNow + 2h));
  ASSERT_EQ(rearmed.size(), 2u);   // the snoozed one and "later"
}

TEST_F(RemindersTest, ConcurrentClaimersNeverShareAReminder) {
  for (int i = 0; i < 50; ++i) ok(store_.add_reminder(h_.account_id(), std::nullopt, "r", kNow - 1h));
  std::vector<std::size_t> counts(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      auto conn = db_.connect();
      store::PgCrmStore s(conn);
      for (int round = 0; round < 5; ++round) {
        auto r = s.claim_due_reminders(kNow);
        if (r) counts[t] += r->size();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(counts[0] + counts[1], 50u);
}

}  // namespace
}  // namespace wacrm::testing
