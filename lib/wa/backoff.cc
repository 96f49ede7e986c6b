#include "wa/backoff.h"

#include <algorithm>

namespace wacrm::wa {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))), max_(std::max(max, initial_)), rng_(seed) {}

std::chrono::milliseconds Backoff::next() {
  long long base = initial_.count();
  for (int i = 0; i < failures_ && base < max_.count(); ++i) base *= 2;
  base = std::min(base, static_cast<long long>(max_.count()));
  ++failures_;
  std::uniform_int_distribution<long long> jitter(base / 2, base);
  return std::chrono::milliseconds(jitter(rng_));
}

}  // namespace wacrm::wa
