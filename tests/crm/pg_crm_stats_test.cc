// Contact statistics on a history whose every figure is worked out below.
#include "crm/crm_store_fixture.h"

namespace wacrm::testing {
namespace {

class StatsTest : public CrmStoreTest {
 protected:
  // Bob's conversation; kNow is Monday 2024-06-03 12:00 UTC.
  //   #  when (UTC)               dir  run  sample
  //   1  B      Thu 04-04 12:00  in   A
  //   2  B+10m  Thu 12:10        in   A
  //   3  B+30m  Thu 12:30        out  B    mine   30m (from #1)
  //   4  B+40m  Thu 12:40        out  B
  //   5  B+2h   Thu 14:00        in   C    theirs 90m (from #3)
  //   -  B+3h   my reaction: ignored
  //   7  B+5h   Thu 17:00        out  D    mine   3h (from #5)
  //   8  R      Fri 05-24 12:00  in   E    theirs 50d-5h (from #7)
  //   9  R+1h   Fri 13:00        out  F    mine   1h (from #8)
  //  10  now-1d Sun 06-02 12:00  out  F
  //  11  now-2h Mon 06-03 10:00  in   G    (unanswered: no sample)
  void SetUp() override {
    bob_ = h_.person("Bob", "111");
    auto c = h_.chat_of(bob_);
    const TimePoint b = kNow - 60 * 24h, r = kNow - 10 * 24h;
    h_.in(c, b);
    h_.in(c, b + 10min);
    h_.out(c, b + 30min);
    h_.out(c, b + 40min);
    h_.in(c, b + 2h);
    h_.message(c, true, b + 3h, {.kind = "reaction", .body = "😂"});
    h_.out(c, b + 5h);
    h_.in(c, r);
    h_.out(c, r + 1h);
    h_.out(c, kNow - 24h, "see you tomorrow");
    h_.in(c, kNow - 2h, "on my way");
  }

  store::ContactStats stats(std::string_view tz = "UTC") {
    return ok(store_.stats(h_.account_id(), bob_, kNow, tz));
  }

  std::int64_t bob_ = 0;
};

TEST_F(StatsTest, CountsAndFirstLast) {
  auto s = stats();
  EXPECT_EQ(s.sent.all_time, 5);
  EXPECT_EQ(s.sent.last_30_days, 2);
  EXPECT_EQ(s.sent.last_90_days, 5);
  EXPECT_EQ(s.received.all_time, 5);
  EXPECT_EQ(s.received.last_30_days, 2);
  EXPECT_EQ(s.received.last_90_days, 5);
  EXPECT_EQ(s.first_interaction, kNow - 60 * 24h);
  EXPECT_EQ(s.last_interaction, kNow - 2h);
  ASSERT_TRUE(s.last_sent);
  EXPECT_EQ(s.last_sent->text, "see you tomorrow");
  EXPECT_EQ(s.last_sent->sent_at, kNow - 24h);
  ASSERT_TRUE(s.last_received);
  EXPECT_EQ(s.last_received->text, "on my way");
}

TEST_F(StatsTest, ResponseTimesBothWays) {
  auto s = stats();
  // Mine: 1800, 10800, 3600 seconds.
  EXPECT_EQ(s.my_replies.samples, 3);
  EXPECT_DOUBLE_EQ(s.my_replies.average_seconds, 5400);
  EXPECT_DOUBLE_EQ(s.my_replies.median_seconds, 3600);
  // Theirs: 5400, 50 days - 5 h = 4302000, 10 days - 3 h = 853200.
  EXPECT_EQ(s.their_replies.samples, 3);
  EXPECT_DOUBLE_EQ(s.their_replies.average_seconds, (5400.0 + 4302000 + 853200) / 3);
  EXPECT_DOUBLE_EQ(s.their_replies.median_seconds, 853200);
}

TEST_F(StatsTest, BusiestHoursFollowTheTimeZone) {
  auto utc = stats("UTC");
  std::vector<std::int64_t> hours(24, 0);
  hours[12] = 6, hours[13] = 1, hours[14] = 1, hours[17] = 1, hours[10] = 1;
  EXPECT_EQ(utc.by_hour, hours);
  // Monday first: Thu 6, Fri 2, Sun 1, Mon 1.
  EXPECT_EQ(utc.by_weekday, (std::vector<std::int64_t>{1, 0, 0, 6, 2, 0, 1}));

  // Berlin is UTC+2 (summer time) on all these days.
  auto berlin = stats("Europe/Berlin");
  std::vector<std::int64_t> berlin_hours(24, 0);
  berlin_hours[14] = 6, berlin_hours[15] = 1, berlin_hours[16] = 1, berlin_hours[19] = 1, berlin_hours[12] = 1;
  EXPECT_EQ(berlin.by_hour, berlin_hours);

  // Auckland moves days: UTC+13 on 4 April (daylight time), +12 in May and June.
  auto auckland = stats("Pacific/Auckland");
  EXPECT_EQ(auckland.by_weekday, (std::vector<std::int64_t>{2, 0, 0, 0, 6, 2, 0}));
}

TEST_F(StatsTest, UnknownTimeZoneNamesTheForm) {
  auto r = store_.stats(h_.account_id(), bob_, kNow, "Mars/Olympus");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_NE(r.error().message.find("Mars/Olympus"), std::string::npos);
  EXPECT_NE(r.error().message.find("Europe/Berlin"), std::string::npos);
}

TEST_F(StatsTest, MergedRowsAddUpAndUnmergeSplitsAgain) {
  auto bob_lid = h_.contact({.jid = "999@lid", .push_name = "Bobby"});
  auto lid_chat = h_.chat("999@lid", bob_lid);
  h_.in(lid_chat, kNow - 1h, "from the other number");
  ASSERT_TRUE(store_.merge(h_.account_id(), bob_, bob_lid));
  auto merged = stats();
  EXPECT_EQ(merged.received.all_time, 6);
  EXPECT_EQ(merged.last_received->text, "from the other number");
  ASSERT_TRUE(store_.unmerge(h_.account_id(), bob_lid));
  EXPECT_EQ(stats().received.all_time, 5);
}

TEST_F(StatsTest, CachedFiguresFollowEveryChange) {
  auto first = stats();
  EXPECT_EQ(h_.sql("SELECT count(*) FROM crm_stats_cache"), "1");
  auto again = stats();   // from the cache
  EXPECT_EQ(again.by_hour, first.by_hour);
  EXPECT_DOUBLE_EQ(again.their_replies.median_seconds, first.their_replies.median_seconds);
  EXPECT_EQ(again.my_replies.samples, 3);

  // My reply to "on my way" adds a sample and a sent message at once.
  auto reply = h_.out(h_.chat_of(bob_), kNow - 1h, "great");
  auto after = stats();
  EXPECT_EQ(after.sent.all_time, 6);
  EXPECT_EQ(after.my_replies.samples, 4);
  EXPECT_EQ(after.by_hour[11], 1);
  // Deleting it for everyone takes both back.
  h_.sql("UPDATE messages SET deleted_at = now() WHERE id = " + std::to_string(reply));
  auto deleted = stats();
  EXPECT_EQ(deleted.sent.all_time, 5);
  EXPECT_EQ(deleted.my_replies.samples, 3);
  // Another time zone is its own entry.
  EXPECT_EQ(stats("Europe/Berlin").by_hour[14], 6);
  EXPECT_EQ(h_.sql("SELECT count(*) FROM crm_stats_cache"), "2");
}

// New messages are folded into the cached row (migration 005); the figures
// must be exactly those of a computation from scratch, whatever arrives:
// several messages at once, runs continued and turned, late old messages.
TEST_F(StatsTest, FoldedInMessagesGiveExactlyTheRecomputedFigures) {
  const auto c = h_.chat_of(bob_);
  auto fresh = [&] {
    h_.sql("DELETE FROM crm_stats_cache");
    return stats("Europe/Berlin");
  };
  auto expect_same = [&](const store::ContactStats& folded, const char* step) {
    const std::string samples = h_.sql("SELECT count(*) FROM crm_stats_replies");
    auto scratch = fresh();
    SCOPED_TRACE(step);
    EXPECT_EQ(folded.by_hour, scratch.by_hour);
    EXPECT_EQ(folded.by_weekday, scratch.by_weekday);
    EXPECT_EQ(folded.sent.all_time, scratch.sent.all_time);
    EXPECT_EQ(folded.received.all_time, scratch.received.all_time);
    EXPECT_EQ(folded.first_interaction, scratch.first_interaction);
    EXPECT_EQ(folded.last_interaction, scratch.last_interaction);
    for (auto [a, b] : {std::pair{folded.my_replies, scratch.my_replies},
                        std::pair{folded.their_replies, scratch.their_replies}}) {
      EXPECT_EQ(a.samples, b.samples);
      EXPECT_DOUBLE_EQ(a.average_seconds, b.average_seconds);
      EXPECT_DOUBLE_EQ(a.median_seconds, b.median_seconds);
    }
    EXPECT_EQ(samples, h_.sql("SELECT count(*) FROM crm_stats_replies"));
  };
  (void)stats("Europe/Berlin");
  const std::string first_writer = h_.sql("SELECT min(xmin::text) FROM crm_stats_replies");

  // My reply to "on my way" (#11): a new run, one sample of mine (2h - 90m).
  h_.out(c, kNow - 90min, "nearly there?");
  auto one = stats("Europe/Berlin");
  EXPECT_EQ(one.my_replies.samples, 4);
  EXPECT_EQ(h_.sql("SELECT count(*) FROM crm_stats_replies WHERE NOT from_me"), "4");
  // Folded in, not recomputed: the first six samples are still the rows written first.
  EXPECT_EQ(h_.sql("SELECT count(*) FROM crm_stats_replies WHERE xmin::text = '" + first_writer + "'"), "6");
  expect_same(one, "one reply");

  // A burst: my run goes on, they answer twice, I answer; a reaction does not count.
  (void)stats("Europe/Berlin");
  h_.out(c, kNow - 80min);
  h_.in(c, kNow - 60min);
  h_.message(c, false, kNow - 59min, {.kind = "reaction", .body = "👍"});
  h_.in(c, kNow - 50min);
  h_.out(c, kNow - 10min);
  auto burst = stats("Europe/Berlin");
  EXPECT_EQ(burst.their_replies.samples, 4);
  EXPECT_EQ(burst.my_replies.samples, 5);
  expect_same(burst, "a burst");

  // A message from long ago arriving late changes earlier runs: recomputed.
  (void)stats("Europe/Berlin");
  h_.in(c, kNow - 30 * 24h, "an old one, delivered late");
  expect_same(stats("Europe/Berlin"), "a late old message");

  // A revoke and a new message at once keep the count: the id sum tells.
  (void)stats("Europe/Berlin");
  h_.sql("UPDATE messages SET deleted_at = now() WHERE body = 'nearly there?'");
  h_.in(c, kNow - 5min);
  expect_same(stats("Europe/Berlin"), "a revoke and a new message");
}

TEST_F(StatsTest, NoMessagesGivesZeroes) {
  auto quiet = h_.person("Quiet", "555");
  auto s = ok(store_.stats(h_.account_id(), quiet, kNow, "UTC"));
  EXPECT_EQ(s.sent.all_time, 0);
  EXPECT_EQ(s.my_replies.samples, 0);
  EXPECT_FALSE(s.first_interaction);
  EXPECT_FALSE(s.last_sent);
  EXPECT_EQ(s.by_hour, std::vector<std::int64_t>(24, 0));
}

}  // namespace
}  // namespace wacrm::testing
