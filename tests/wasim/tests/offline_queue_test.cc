#include "wasim/offline_queue.h"

#include <gtest/gtest.h>

namespace wacrm::wasim {
namespace {

PendingStanza message(std::string id, std::string from_user, std::string klass = "message") {
  PendingStanza p;
  p.stanza = wire::Node(klass == "message" ? "message" : "receipt", {{"id", id}});
  p.id = std::move(id);
  p.from_user = std::move(from_user);
  p.confirm_class = std::move(klass);
  return p;
}

TEST(OfflineQueue, KeepsStanzasUntilConfirmedAndRedeliversOnNewConnections) {
  OfflineQueue queue;
  DeviceId alice{"111", 1};
  queue.push(alice, message("M1", "222"));
  queue.push(alice, message("M2", "222"));
  auto first = queue.unsent(alice, 7);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0]->id, "M1");  // oldest first
  for (auto* p : first) p->sent_on = 7;
  EXPECT_TRUE(queue.unsent(alice, 7).empty());  // never twice on one connection
  // The connection dropped before any confirmation: a new one gets both again.
  EXPECT_EQ(queue.unsent(alice, 8).size(), 2u);

  auto confirmed = queue.confirm(alice, "message", "M1", "222");
  ASSERT_EQ(confirmed.size(), 1u);
  EXPECT_EQ(confirmed[0].id, "M1");
  ASSERT_EQ(queue.unsent(alice, 9).size(), 1u);
  EXPECT_EQ(queue.unsent(alice, 9)[0]->id, "M2");
  // Confirmed once: a second confirmation finds nothing, nothing comes back.
  EXPECT_TRUE(queue.confirm(alice, "message", "M1", "222").empty());
  EXPECT_EQ(queue.size(alice), 1u);
}

TEST(OfflineQueue, ConfirmationsMustMatchClassIdSenderAndDevice) {
  OfflineQueue queue;
  DeviceId alice{"111", 1}, alice2{"111", 2};
  queue.push(alice, message("X", "222"));
  queue.push(alice, message("X", "333", "receipt"));
  EXPECT_TRUE(queue.confirm(alice2, "message", "X", "222").empty());
  EXPECT_TRUE(queue.confirm(alice, "message", "X", "999").empty());
  EXPECT_EQ(queue.confirm(alice, "receipt", "X", "333").size(), 1u);
  EXPECT_EQ(queue.confirm(alice, "message", "X", "").size(), 1u);  // no sender given: the id decides
  EXPECT_EQ(queue.total(), 0u);
}

TEST(OfflineQueue, TracksTheUnconfirmedKeyShare) {
  OfflineQueue queue;
  DeviceId alice{"111", 3};
  auto share = message("K", "111");
  share.key_share = true;
  queue.push(alice, share);
  EXPECT_TRUE(queue.has_unconfirmed_key_share(alice));
  auto confirmed = queue.confirm(alice, "message", "K", "111");
  ASSERT_EQ(confirmed.size(), 1u);
  EXPECT_TRUE(confirmed[0].key_share);
  EXPECT_FALSE(queue.has_unconfirmed_key_share(alice));
  queue.push(alice, message("Z", "1"));
  queue.drop(alice);
  EXPECT_EQ(queue.size(alice), 0u);
}

}  // namespace
}  // namespace wacrm::wasim
