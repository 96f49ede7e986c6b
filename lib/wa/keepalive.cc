#include "wa/keepalive.h"

#include <algorithm>

#include "wa/iq.h"

namespace wacrm::wa {

namespace {
constexpr int kFailedPingsForDead = 2;

long long seconds_of(std::chrono::milliseconds d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }
}  // namespace

wire::Node ping_iq() { return make_iq("get", "w:p"); }

KeepAlive::KeepAlive(const ClientConfig& config, Clock::time_point start, std::uint64_t seed)
    : interval_min_(config.ping_interval_min),
      interval_max_(std::max(config.ping_interval_max, config.ping_interval_min)),
      dead_after_(config.dead_after),
      rng_(seed),
      last_received_(start) {
  schedule_ping(start);
}

void KeepAlive::schedule_ping(Clock::time_point from) {
  std::uniform_int_distribution<long long> jitter(interval_min_.count(), interval_max_.count());
  next_ping_ = from + std::chrono::milliseconds(jitter(rng_));
}

void KeepAlive::on_frame(Clock::time_point now) { last_received_ = now; }

KeepAlive::Action KeepAlive::poll(Clock::time_point now) {
  if (now - last_received_ >= dead_after_) {
    dead_reason_ = "connection lost: nothing received for " + std::to_string(seconds_of(dead_after_)) + " s";
    return Action::dead;
  }
  if (failed_in_a_row_ >= kFailedPingsForDead) {
    dead_reason_ = "connection lost: " + std::to_string(failed_in_a_row_) + " keep-alive pings in a row failed";
    return Action::dead;
  }
  if (!ping_outstanding_ && now >= next_ping_) return Action::ping;
  return Action::wait;
}

void KeepAlive::ping_sent(Clock::time_point now) {
  ping_outstanding_ = true;
  schedule_ping(now);
}

void KeepAlive::ping_answered(Clock::time_point now) {
  ping_outstanding_ = false;
  failed_in_a_row_ = 0;
  last_received_ = now;
}

void KeepAlive::ping_failed(Clock::time_point) {
  ping_outstanding_ = false;
  ++failed_in_a_row_;
}

KeepAlive::Clock::time_point KeepAlive::next_wakeup() const {
  auto dead_at = last_received_ + dead_after_;
  return ping_outstanding_ ? dead_at : std::min(next_ping_, dead_at);
}

}  // namespace wacrm::wa
