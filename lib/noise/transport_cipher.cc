#include "noise/transport_cipher.h"

#include <limits>

namespace wacrm::noise {
namespace {

constexpr std::uint64_t kCounterLimit = std::uint64_t{std::numeric_limits<std::uint32_t>::max()} + 1;

}  // namespace

TransportCipher::TransportCipher(const TransportKeys& keys) : send_(keys.send), receive_(keys.receive) {}

Status TransportCipher::encrypt(ByteView plaintext, Bytes& out) {
  if (send_counter_ >= kCounterLimit)
    return make_error(Errc::protocol, "Noise transport: send counter exhausted after 2^32 frames; reconnect");
  WACRM_TRY(send_.seal(static_cast<std::uint32_t>(send_counter_), ByteView(), plaintext, out));
  ++send_counter_;
  return {};
}

Status TransportCipher::decrypt(ByteView ciphertext, Bytes& out) {
  if (receive_counter_ >= kCounterLimit)
    return make_error(Errc::protocol, "Noise transport: receive counter exhausted after 2^32 frames; reconnect");
  const auto counter = static_cast<std::uint32_t>(receive_counter_++);
  auto r = receive_.open(counter, ByteView(), ciphertext, out);
  if (!r)
    return make_error(r.error().code, "Noise transport: frame " + std::to_string(counter) +
                                          " does not decrypt: " + r.error().message);
  return {};
}

Result<Bytes> TransportCipher::encrypt(ByteView plaintext) {
  Bytes out;
  out.reserve(plaintext.size() + kGcmTagSize);
  WACRM_TRY(encrypt(plaintext, out));
  return out;
}

Result<Bytes> TransportCipher::decrypt(ByteView ciphertext) {
  Bytes out;
  WACRM_TRY(decrypt(ciphertext, out));
  return out;
}

void TransportCipher::set_counters_for_testing(std::uint64_t send, std::uint64_t receive) {
  send_counter_ = send;
  receive_counter_ = receive;
}

}  // namespace wacrm::noise
