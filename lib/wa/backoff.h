// Reconnect delays (protocol notes 01 §8.3): exponential from an initial
// delay, capped (~60 s), with jitter so that many accounts that lost the
// network together do not come back in lockstep; reset after a login. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace wacrm::wa {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed);

  // The delay before the next attempt: base = min(max, initial * 2^n) for the
  // n-th consecutive failure, then a random value in [base/2, base].
  std::chrono::milliseconds next();
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::mt19937_64 rng_;
  int failures_ = 0;
};

}  // namespace wacrm::wa
