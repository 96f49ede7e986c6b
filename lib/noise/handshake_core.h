// Internal to lib/noise: what both handshake roles share. The symmetric
// state, our ephemeral key pair, the peer's ephemeral key, and the rule that
// steps come in order and any failed step fails the handshake for good.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/error.h"
#include "noise/key_pair.h"
#include "noise/protocol_constants.h"
#include "noise/symmetric_state.h"

namespace wacrm::noise {

template <class Step>
class HandshakeCore {
 public:
  HandshakeCore(const char* role, std::uint8_t dict_version)
      : state(ByteView(intro_header(dict_version))), role_(role) {}

  // Errc::invalid_argument unless the handshake is at `step` and not failed.
  Status expect(Step step, const char* operation) const {
    if (!failed_ && step_ == step) return {};
    return make_error(Errc::invalid_argument, std::string("Noise ") + role_ + ": " + operation +
                                                  (failed_ ? " after a failed step" : " called out of order"));
  }
  bool at(Step step) const { return !failed_ && step_ == step; }
  void advance(Step step) { step_ = step; }
  // Passes a step's result through, marking the handshake failed on error.
  template <class T>
  Result<T> settle(Result<T> r) {
    if (!r) failed_ = true;
    return r;
  }

  SymmetricState state;
  std::optional<KeyPair> ephemeral;
  PublicKey peer_ephemeral{};

 private:
  const char* role_;
  Step step_{};
  bool failed_ = false;
};

}  // namespace wacrm::noise
