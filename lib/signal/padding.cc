#include "signal/padding.h"

#include <algorithm>
#include <string>

#include <openssl/rand.h>

namespace wacrm::signal {

Bytes add_padding(ByteView message, std::uint8_t n) {
  Bytes out;
  out.reserve(message.size() + n);
  out.assign(message.begin(), message.end());
  out.insert(out.end(), n, n);
  return out;
}

Result<Bytes> add_padding(ByteView message) {
  std::uint8_t random = 0;
  if (RAND_bytes(&random, 1) != 1) return make_error(Errc::internal, "system random generator failed");
  std::uint8_t n = random & 0x0f;
  return add_padding(message, n == 0 ? std::uint8_t{15} : n);
}

SignalResult<Bytes> strip_padding(ByteView padded) {
  if (padded.empty()) return make_signal_error(SignalErrc::bad_padding, "empty plaintext");
  std::uint8_t n = padded.back();
  if (n == 0 || n > padded.size())
    return make_signal_error(SignalErrc::bad_padding, "padding length " + std::to_string(n) + " is invalid");
  auto tail = padded.subspan(padded.size() - n);
  if (!std::all_of(tail.begin(), tail.end(), [n](std::uint8_t b) { return b == n; }))
    return make_signal_error(SignalErrc::bad_padding, "padding bytes differ from its length");
  return Bytes(padded.begin(), padded.end() - n);
}

}  // namespace wacrm::signal
