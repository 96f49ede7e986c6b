// KeepAlive and Backoff: pure timing decisions (notes 01 §7.5, §8.3).
#include "wa/keepalive.h"

#include <gtest/gtest.h>

#include "wa/backoff.h"

namespace wacrm::wa {
namespace {

using namespace std::chrono_literals;
using Clock = KeepAlive::Clock;

TEST(KeepAlive, PingsEveryTwentyToThirtySeconds) {
  ClientConfig config;
  auto t0 = Clock::time_point{} + 1h;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    KeepAlive k(config, t0, seed);
    EXPECT_EQ(k.poll(t0 + 19s), KeepAlive::Action::wait);
    auto next = k.next_wakeup();
    EXPECT_GE(next, t0 + 20s);
    EXPECT_LE(next, t0 + 30s);
    k.on_frame(t0 + 19s);
    EXPECT_EQ(k.poll(t0 + 30s), KeepAlive::Action::ping);
    k.ping_sent(t0 + 30s);
    EXPECT_EQ(k.poll(t0 + 31s), KeepAlive::Action::wait);  // one ping at a time
    k.ping_answered(t0 + 31s);
  }
}

TEST(KeepAlive, DeadAfterSilence) {
  ClientConfig config;
  auto t0 = Clock::time_point{} + 1h;
  KeepAlive k(config, t0, 1);
  k.on_frame(t0 + 10s);
  EXPECT_NE(k.poll(t0 + 54s), KeepAlive::Action::dead);
  EXPECT_EQ(k.poll(t0 + 55s), KeepAlive::Action::dead);
  EXPECT_NE(k.dead_reason().find("45 s"), std::string::npos) << k.dead_reason();
}

TEST(KeepAlive, DeadAfterTwoFailedPingsInARow) {
  ClientConfig config;
  config.dead_after = 1h;  // isolate the ping rule
  auto t0 = Clock::time_point{} + 1h;
  KeepAlive k(config, t0, 2);
  k.ping_sent(t0 + 30s);
  k.ping_failed(t0 + 40s);
  EXPECT_NE(k.poll(t0 + 41s), KeepAlive::Action::dead);
  k.ping_sent(t0 + 70s);
  k.ping_answered(t0 + 71s);  // a success resets the count
  k.ping_sent(t0 + 100s);
  k.ping_failed(t0 + 110s);
  k.ping_sent(t0 + 140s);
  k.ping_failed(t0 + 150s);
  EXPECT_EQ(k.poll(t0 + 151s), KeepAlive::Action::dead);
  EXPECT_NE(k.dead_reason().find("pings"), std::string::npos);
}

TEST(KeepAlive, PingHasNoChild) {
  wire::Node ping = ping_iq();
  EXPECT_EQ(ping.attr_or("xmlns"), "w:p");
  EXPECT_EQ(ping.attr_or("type"), "get");
  EXPECT_FALSE(ping.has_content());
}

TEST(Backoff, GrowsExponentiallyWithJitterUpToTheCap) {
  Backoff b(1s, 60s, 7);
  std::vector<long long> ms;
  for (int i = 0; i < 12; ++i) ms.push_back(b.next().count());
  for (int i = 0; i < 12; ++i) {
    long long base = std::min<long long>(1000LL << std::min(i, 20), 60000);
    EXPECT_GE(ms[i], base / 2) << i;
    EXPECT_LE(ms[i], base) << i;
  }
  EXPECT_GE(ms[11], 30000);
  b.reset();
  EXPECT_LE(b.next().count(), 1000);
}

}  // namespace
}  // namespace wacrm::wa
