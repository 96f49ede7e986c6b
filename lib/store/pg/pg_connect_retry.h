// Connecting to PostgreSQL when it may not be up yet (boot order, a restart of
// the server, a network database): retry with exponential backoff and jitter
// until connected, a deadline passes or the caller asks to stop.
//
// Blocking; run it off the io_context (e.g. in the daemon's startup thread or
// a PgPool job). The failure callback is where the daemon logs "database
// unreachable, retrying in Ns: reason" and updates sd_notify STATUS=.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include "base/error.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

struct RetryPolicy {
  std::chrono::milliseconds initial_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  // Each delay is scaled by a random factor in [1 - jitter, 1 + jitter] so
  // several daemons restarted together do not hammer the server in step.
  double jitter = 0.2;
  // Give up once the next attempt would start later than this after the
  // first one; none = retry forever.
  std::optional<std::chrono::milliseconds> deadline;
};

// Delays of one retry sequence: initial_delay, doubling up to max_delay.
class Backoff {
 public:
  explicit Backoff(const RetryPolicy& policy);
  // The delay before the next attempt (jittered, never above max_delay * (1 + jitter)).
  std::chrono::milliseconds next();
  void reset();

 private:
  RetryPolicy policy_;
  std::chrono::milliseconds base_;
  std::mt19937 rng_;
};

struct ConnectFailure {
  int attempt = 0;                  // 1 for the first attempt
  Error error;                      // why it failed (usually Errc::unavailable)
  std::chrono::milliseconds retry_in{0};  // 0 when no further attempt will be made
};

using ConnectFailureCallback = std::function<void(const ConnectFailure&)>;
// Polled between attempts and while waiting (at least every 100 ms); true = give up.
using StopPredicate = std::function<bool()>;

// Errc::cancelled when should_stop returned true; Errc::timeout (with the last
// failure's reason in the message) when the deadline passed. One attempt can
// itself block as long as libpq's connect: put connect_timeout=N in a TCP
// conninfo (a Unix socket fails at once when nobody listens).
Result<PgConnection> connect_with_retry(const std::string& conninfo, const RetryPolicy& policy = {},
                                        const ConnectFailureCallback& on_failure = {},
                                        const StopPredicate& should_stop = {});

}  // namespace wacrm::store
