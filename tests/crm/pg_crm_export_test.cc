// Export at the store: every message once, in order, in bounded batches,
// local times in the requested zone.
#include "crm/crm_store_fixture.h"

namespace wacrm::testing {
namespace {

class ExportStoreTest : public CrmStoreTest {};

TEST_F(ExportStoreTest, StreamsInOrderInBatchesWithLocalTimes) {
  auto bob = h_.person("Bob", "1");
  auto chat = h_.chat_of(bob);
  // 2,500 messages in one statement, alternating direction, a minute apart.
  h_.sql("INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind, body) "
         "SELECT " + std::to_string(h_.account_id()) + ", " + std::to_string(chat) +
         ", 'W' || i, CASE WHEN i % 2 = 0 THEN 'me@s.whatsapp.net' ELSE '1@s.whatsapp.net' END, i % 2 = 0, "
         "'2024-01-15T08:00:00Z'::timestamptz + i * interval '1 minute', 'text', 'message ' || i "
         "FROM generate_series(1, 2500) i");
  h_.message(chat, false, kNow, {.kind = "reaction", .body = "👍"});   // not exported

  std::vector<std::size_t> batches;
  std::int64_t expected = 1;
  bool ordered = true;
  std::string first_local;
  auto status = store_.export_messages(h_.account_id(), std::vector<std::int64_t>{chat}, "Europe/Berlin", 1000,
                                       [&](std::span<const store::ExportMessage> batch) -> Status {
                                         batches.push_back(batch.size());
                                         for (const auto& m : batch) {
                                           if (first_local.empty()) first_local = m.local_time;
                                           ordered = ordered && m.body == "message " + std::to_string(expected);
                                           ++expected;
                                         }
                                         return {};
                                       });
  ASSERT_TRUE(status) << status.error().to_string();
  EXPECT_EQ(batches, (std::vector<std::size_t>{1000, 1000, 500}));
  EXPECT_TRUE(ordered);
  EXPECT_EQ(first_local, "2024-01-15T09:01:00+01:00");
}

TEST_F(ExportStoreTest, SinkErrorStopsAndConnectionStaysUsable) {
  auto bob = h_.person("Bob", "1");
  for (int i = 0; i < 5; ++i) h_.in(h_.chat_of(bob), kNow - std::chrono::hours(i + 1));
  int calls = 0;
  auto status = store_.export_messages(h_.account_id(), std::vector<std::int64_t>{h_.chat_of(bob)}, "UTC", 2,
                                       [&](std::span<const store::ExportMessage>) -> Status {
                                         ++calls;
                                         return make_error(Errc::cancelled, "client went away");
                                       });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::cancelled);
  EXPECT_EQ(calls, 1);
  // The cursor's transaction was rolled back: a second export works.
  int n = 0;
  ASSERT_TRUE(store_.export_messages(h_.account_id(), std::vector<std::int64_t>{h_.chat_of(bob)}, "UTC", 2,
                                     [&](std::span<const store::ExportMessage> b) -> Status {
                                       n += static_cast<int>(b.size());
                                       return {};
                                     }));
  EXPECT_EQ(n, 5);
}

TEST_F(ExportStoreTest, SenderNamesInGroups) {
  auto bob = h_.person("Bob", "1");
  auto g = h_.group("Climbing", "1-2@g.us");
  h_.message(h_.chat_of(g), false, kNow - 2h, {.body = "hi", .sender_contact = bob, .sender_jid = "1@s.whatsapp.net"});
  h_.message(h_.chat_of(g), false, kNow - 1h, {.body = "yo", .sender_jid = "77@s.whatsapp.net"});
  h_.out(h_.chat_of(g), kNow);
  std::vector<std::string> senders;
  ASSERT_TRUE(store_.export_messages(h_.account_id(), std::vector<std::int64_t>{h_.chat_of(g)}, "UTC", 10,
                                     [&](std::span<const store::ExportMessage> b) -> Status {
                                       for (const auto& m : b) senders.push_back(m.sender);
                                       return {};
                                     }));
  EXPECT_EQ(senders, (std::vector<std::string>{"Bob", "77", "Me"}));
}

}  // namespace
}  // namespace wacrm::testing
