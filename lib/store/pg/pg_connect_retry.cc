#include "store/pg/pg_connect_retry.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace wacrm::store {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStopPollInterval{100};

// Sleeps until `until`, waking every kStopPollInterval to ask should_stop.
// False when asked to stop.
bool sleep_until(Clock::time_point until, const StopPredicate& should_stop) {
  while (Clock::now() < until) {
    if (should_stop && should_stop()) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(kStopPollInterval, until - Clock::now()));
  }
  return !(should_stop && should_stop());
}

}  // namespace

Backoff::Backoff(const RetryPolicy& policy)
    : policy_(policy), base_(policy.initial_delay), rng_(std::random_device{}()) {}

milliseconds Backoff::next() {
  milliseconds base = std::min(base_, policy_.max_delay);
  base_ = std::min(base_ * 2, policy_.max_delay);
  double jitter = std::clamp(policy_.jitter, 0.0, 1.0);
  std::uniform_real_distribution<double> factor(1.0 - jitter, 1.0 + jitter);
  return milliseconds(static_cast<milliseconds::rep>(static_cast<double>(base.count()) * factor(rng_)));
}

void Backoff::reset() { base_ = policy_.initial_delay; }

Result<PgConnection> connect_with_retry(const std::string& conninfo, const RetryPolicy& policy,
                                        const ConnectFailureCallback& on_failure, const StopPredicate& should_stop) {
  const auto started = Clock::now();
  const auto give_up_at = policy.deadline ? std::optional(started + *policy.deadline) : std::nullopt;
  Backoff backoff(policy);
  for (int attempt = 1;; ++attempt) {
    if (should_stop && should_stop()) return make_error(Errc::cancelled, "stopped while connecting to the database");
    auto conn = PgConnection::connect(conninfo);
    if (conn) return conn;

    ConnectFailure failure{attempt, conn.error(), backoff.next()};
    auto retry_at = Clock::now() + failure.retry_in;
    bool last = give_up_at && retry_at >= *give_up_at;
    if (last) failure.retry_in = milliseconds(0);
    if (on_failure) on_failure(failure);
    if (last) {
      auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
      return make_error(Errc::timeout, fmt::format("database unreachable after {} attempts in {:.1f} s: {}", attempt,
                                                   static_cast<double>(waited.count()) / 1000.0,
                                                   failure.error.message));
    }
    if (!sleep_until(retry_at, should_stop))
      return make_error(Errc::cancelled, "stopped while waiting to retry the database connection");
  }
}

}  // namespace wacrm::store
