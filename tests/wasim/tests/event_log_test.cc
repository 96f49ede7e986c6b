#include "wasim/event_log.h"

#include <gtest/gtest.h>

namespace wacrm::wasim {
namespace {

TEST(EventLog, NumbersEventsAndFiltersByTypeAfterAndFields) {
  EventLog log;
  EXPECT_EQ(log.append("receipt", {{"jid", "1:1@s.whatsapp.net"}, {"id", "A"}}), 1u);
  EXPECT_EQ(log.append("ack", {{"jid", "1:1@s.whatsapp.net"}}), 2u);
  EXPECT_EQ(log.append("receipt", {{"jid", "2:1@s.whatsapp.net"}, {"ids", {"B", "C"}}}), 3u);
  EXPECT_EQ(log.last_seq(), 3u);

  EventFilter receipts;
  receipts.types = {"receipt"};
  auto found = log.query(receipts);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].seq, 1u);
  EXPECT_EQ(found[1].seq, 3u);

  receipts.after = 1;
  EXPECT_EQ(log.query(receipts).size(), 1u);

  EventFilter by_field;
  by_field.fields["jid"] = "1:1@s.whatsapp.net";
  EXPECT_EQ(log.query(by_field).size(), 2u);
  EventFilter in_array;
  in_array.fields["ids"] = "C";  // any element of an array field
  ASSERT_EQ(log.query(in_array).size(), 1u);
  EXPECT_EQ(log.query(in_array)[0].seq, 3u);
  EXPECT_EQ(log.query(EventFilter{}, 2).size(), 2u);
}

TEST(EventLog, WaitersFireOnTheFirstMatchingEventOnly) {
  EventLog log;
  log.append("connected", {});
  std::vector<Event> got;
  int calls = 0;
  EventFilter filter;
  filter.after = log.last_seq();
  filter.types = {"paired"};
  auto id = log.wait(filter, 10, [&](std::vector<Event> events) {
    ++calls;
    got = std::move(events);
  });
  EXPECT_NE(id, 0u);
  log.append("connected", {});
  EXPECT_EQ(calls, 0);
  log.append("paired", {{"jid", "x"}});
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].type, "paired");
  log.append("paired", {});
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(log.cancel(id));
}

TEST(EventLog, WaitAnswersAtOnceWhenSomethingMatchesAndCancelWorks) {
  EventLog log;
  log.append("login", {});
  int calls = 0;
  EXPECT_EQ(log.wait(EventFilter{}, 10, [&](std::vector<Event> e) { calls += static_cast<int>(e.size()); }), 0u);
  EXPECT_EQ(calls, 1);
  EventFilter later;
  later.after = 5;
  auto id = log.wait(later, 10, [&](std::vector<Event>) { calls += 100; });
  EXPECT_TRUE(log.cancel(id));
  for (int i = 0; i < 10; ++i) log.append("login", {});
  EXPECT_EQ(calls, 1);
}

TEST(EventLog, DropsTheOldestBeyondCapacity) {
  EventLog log(3);
  for (int i = 0; i < 5; ++i) log.append("e", {{"i", i}});
  auto all = log.query(EventFilter{});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.front().seq, 3u);
  EventFilter after;
  after.after = 4;
  ASSERT_EQ(log.query(after).size(), 1u);
  EXPECT_EQ(log.query(after)[0].seq, 5u);
}

}  // namespace
}  // namespace wacrm::wasim
