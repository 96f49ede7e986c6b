// A token bucket: `rate` stanzas per second on average, bursts up to
// `burst`. One per connection, against stanza floods.
#pragma once

#include <algorithm>
#include <chrono>

namespace wacrm::wasim {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst), last_(Clock::now()) {}

  // Takes one token; false when the bucket is empty.
  bool allow(Clock::time_point now = Clock::now()) {
    std::chrono::duration<double> elapsed = now - last_;
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace wacrm::wasim
