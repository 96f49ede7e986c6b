// Keep-alive of one connection (protocol notes 01 §7.5), as a pure clock-
// driven state: a ping iq every 20–30 s (random), each answered within 10 s;
// the connection is dead when nothing at all arrived for ~45 s or two pings
// in a row failed. lib/wa/connection.cc owns the timer and sends the pings.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "wa/client_config.h"
#include "wire/node.h"

namespace wacrm::wa {

// <iq to=server type="get" xmlns="w:p"/> (no child: whatsmeow's current form); no id yet.
wire::Node ping_iq();

class KeepAlive {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Action { wait, ping, dead };

  KeepAlive(const ClientConfig& config, Clock::time_point start, std::uint64_t seed);

  // Any frame arrived.
  void on_frame(Clock::time_point now);
  // What is due at `now`: a ping (then call ping_sent), the verdict that the
  // connection is dead (dead_reason says why), or nothing yet.
  Action poll(Clock::time_point now);
  void ping_sent(Clock::time_point now);
  void ping_answered(Clock::time_point now);
  void ping_failed(Clock::time_point now);
  // When poll should run next.
  Clock::time_point next_wakeup() const;
  const std::string& dead_reason() const { return dead_reason_; }

 private:
  void schedule_ping(Clock::time_point from);

  std::chrono::milliseconds interval_min_;
  std::chrono::milliseconds interval_max_;
  std::chrono::milliseconds dead_after_;
  std::mt19937_64 rng_;
  Clock::time_point last_received_;
  Clock::time_point next_ping_;
  bool ping_outstanding_ = false;
  int failed_in_a_row_ = 0;
  std::string dead_reason_;
};

}  // namespace wacrm::wa
