#include "events/event_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace wacrm::events {
namespace {

Event event(std::string type, std::string account = "alice") { return Event{std::move(type), std::move(account), "x"}; }

std::vector<std::string> types(const Subscription::Batch& batch) {
  std::vector<std::string> out;
  for (const auto& e : batch.events) out.push_back(e.type);
  return out;
}

TEST(EventHubTest, EverySubscriberGetsWhatIsPublishedAfterItSubscribed) {
  EventHub hub;
  hub.publish(event("before"));
  auto a = hub.subscribe("", {});
  auto b = hub.subscribe("", {});
  hub.publish(event("one"));
  hub.publish(event("two"));
  EXPECT_EQ(types(a->take()), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(types(b->take()), (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(a->take().events.empty());
}

TEST(EventHubTest, AnAccountSubscriberGetsItsAccountAndAccountlessEventsOnly) {
  EventHub hub;
  auto alice = hub.subscribe("alice", {});
  hub.publish(event("mine", "alice"));
  hub.publish(event("theirs", "bob"));
  hub.publish(event("global", ""));
  EXPECT_EQ(types(alice->take()), (std::vector<std::string>{"mine", "global"}));
}

TEST(EventHubTest, AFullQueueDropsTheOldestAndCountsThem) {
  EventHub hub;
  auto slow = hub.subscribe("", {}, 3);
  for (int i = 0; i < 10; ++i) hub.publish(event("e" + std::to_string(i)));
  auto batch = slow->take();
  EXPECT_EQ(batch.dropped, 7u);
  EXPECT_EQ(types(batch), (std::vector<std::string>{"e7", "e8", "e9"}));
  // The count starts again after it was reported.
  hub.publish(event("next"));
  batch = slow->take();
  EXPECT_EQ(batch.dropped, 0u);
  EXPECT_EQ(types(batch), (std::vector<std::string>{"next"}));
}

TEST(EventHubTest, NotifyOnceUntilTaken) {
  EventHub hub;
  int notified = 0;
  auto sub = hub.subscribe("", [&notified] { ++notified; });
  hub.publish(event("a"));
  hub.publish(event("b"));
  EXPECT_EQ(notified, 1);
  (void)sub->take();
  hub.publish(event("c"));
  EXPECT_EQ(notified, 2);
}

TEST(EventHubTest, DroppingTheSubscriptionUnsubscribes) {
  EventHub hub;
  auto sub = hub.subscribe("", {});
  EXPECT_EQ(hub.subscribers(), 1u);
  sub.reset();
  EXPECT_EQ(hub.subscribers(), 0u);
  hub.publish(event("nobody listens"));  // must not touch the dead subscription
}

TEST(EventHubTest, CloseEndsSubscriptionsAndLaterOnesStartClosed) {
  EventHub hub;
  int notified = 0;
  auto sub = hub.subscribe("", [&notified] { ++notified; });
  hub.publish(event("last"));
  (void)sub->take();
  hub.close();
  EXPECT_EQ(notified, 2);
  auto batch = sub->take();
  EXPECT_TRUE(batch.closed);
  hub.publish(event("after close"));
  EXPECT_TRUE(sub->take().events.empty());
  int late_notified = 0;
  auto late = hub.subscribe("", [&late_notified] { ++late_notified; });
  EXPECT_EQ(late_notified, 1);
  EXPECT_TRUE(late->take().closed);
}

// A subscriber that never reads cannot hold the publisher up, and one
// reading on another thread sees every event or a count of the missed ones.
TEST(EventHubTest, PublishersNeverWaitForReaders) {
  EventHub hub;
  auto stuck = hub.subscribe("", {}, 8);
  auto reader = hub.subscribe("", {}, 64);
  constexpr int kEvents = 20000;
  std::atomic<bool> done{false};
  std::uint64_t seen = 0;
  std::thread consumer([&] {
    while (true) {
      const bool finished = done.load();
      auto batch = reader->take();
      seen += batch.dropped + batch.events.size();
      if (finished) break;
      std::this_thread::yield();
    }
  });
  for (int i = 0; i < kEvents; ++i) hub.publish(event("e"));
  done = true;
  consumer.join();
  EXPECT_EQ(seen, static_cast<std::uint64_t>(kEvents));
  auto batch = stuck->take();
  EXPECT_EQ(batch.events.size(), 8u);
  EXPECT_EQ(batch.dropped, static_cast<std::uint64_t>(kEvents - 8));
}

}  // namespace
}  // namespace wacrm::events
