// IqTracker: ids, matching answers to waiters, errors, deadlines, closing.
#include "wa/iq.h"

#include <gtest/gtest.h>

namespace wacrm::wa {
namespace {

using namespace std::chrono_literals;
using wire::Node;
using Clock = IqTracker::Clock;

Node answer(std::string id, std::string type = "result") {
  return Node("iq", {{"from", "@s.whatsapp.net"}, {"type", std::move(type)}, {"id", std::move(id)}});
}

TEST(IqTracker, MatchesAnswersById) {
  IqTracker tracker("7.9");
  auto t0 = Clock::now();
  Node a = make_iq("get", "encrypt", {Node("count")});
  Node b = make_iq("get", "w:p");
  std::optional<Result<Node>> got_a, got_b;
  std::string id_a = tracker.track(a, t0 + 10s, [&](Result<Node> r) { got_a = std::move(r); });
  std::string id_b = tracker.track(b, t0 + 10s, [&](Result<Node> r) { got_b = std::move(r); });
  EXPECT_EQ(id_a, "7.9-1");
  EXPECT_EQ(id_b, "7.9-2");
  EXPECT_EQ(a.attr_or("id"), id_a);
  EXPECT_EQ(a.attr_or("to"), "@s.whatsapp.net");
  EXPECT_EQ(tracker.pending(), 2u);

  EXPECT_FALSE(tracker.on_response(answer("nobody")));
  EXPECT_FALSE(tracker.on_response(Node("iq", {{"type", "set"}, {"id", id_b}})));  // a request, not an answer
  EXPECT_TRUE(tracker.on_response(answer(id_b)));
  ASSERT_TRUE(got_b && *got_b);
  EXPECT_FALSE(got_a);
  EXPECT_FALSE(tracker.on_response(answer(id_b)));  // answered once

  Node error = answer(id_a, "error");
  error.content = Node::Children{Node("error", {{"code", "404"}, {"text", "item-not-found"}})};
  EXPECT_TRUE(tracker.on_response(error));
  ASSERT_TRUE(got_a && !*got_a);
  EXPECT_EQ(got_a->error().code, Errc::not_found);
  EXPECT_NE(got_a->error().message.find("404 item-not-found"), std::string::npos);
  EXPECT_EQ(tracker.pending(), 0u);
}

TEST(IqTracker, ExpiresOnlyWhatIsDue) {
  IqTracker tracker;
  auto t0 = Clock::now();
  Node early = make_iq("get", "w:p"), late = make_iq("get", "w:p");
  int timeouts = 0;
  tracker.track(early, t0 + 5s, [&](Result<Node> r) { timeouts += !r && r.error().code == Errc::timeout; });
  tracker.track(late, t0 + 60s, [&](Result<Node> r) { timeouts += !r && r.error().code == Errc::timeout; });
  EXPECT_EQ(tracker.next_deadline(), t0 + 5s);
  tracker.expire(t0 + 4s);
  EXPECT_EQ(timeouts, 0);
  tracker.expire(t0 + 5s);
  EXPECT_EQ(timeouts, 1);
  EXPECT_EQ(tracker.next_deadline(), t0 + 60s);
  tracker.fail_all(Error{Errc::unavailable, "closed"});
  EXPECT_EQ(timeouts, 1);
  EXPECT_EQ(tracker.pending(), 0u);
  EXPECT_FALSE(tracker.next_deadline());
}

TEST(IqTracker, ACallbackMaySendTheNextRequest) {
  IqTracker tracker("1.1");
  auto t0 = Clock::now();
  Node first = make_iq("get", "encrypt");
  Node second = make_iq("set", "passive");
  bool second_done = false;
  std::string id = tracker.track(first, t0 + 10s, [&](Result<Node>) {
    tracker.track(second, t0 + 10s, [&](Result<Node>) { second_done = true; });
  });
  EXPECT_TRUE(tracker.on_response(answer(id)));
  EXPECT_EQ(tracker.pending(), 1u);
  EXPECT_TRUE(tracker.on_response(answer(std::string(second.attr_or("id")))));
  EXPECT_TRUE(second_done);
}

TEST(Iq, AckCopiesWhatTheNotesSay) {
  Node notification("notification", {{"id", "n1"}, {"from", "@s.whatsapp.net"}, {"type", "encrypt"}});
  Node ack = ack_for(notification);
  EXPECT_EQ(ack.tag, "ack");
  EXPECT_EQ(ack.attr_or("id"), "n1");
  EXPECT_EQ(ack.attr_or("class"), "notification");
  EXPECT_EQ(ack.attr_or("to"), "@s.whatsapp.net");
  EXPECT_EQ(ack.attr_or("type"), "encrypt");
  Node message("message", {{"id", "m1"}, {"from", "1@s.whatsapp.net"}, {"type", "text"}, {"participant", "2@s.whatsapp.net"}});
  Node message_ack = ack_for(message);
  EXPECT_FALSE(message_ack.attr("type"));
  EXPECT_EQ(message_ack.attr_or("participant"), "2@s.whatsapp.net");
}

}  // namespace
}  // namespace wacrm::wa
