// A pre-key bundle: what the server hands out for a device so that someone
// can start a Signal session with it without its being online (notes §8.3).
// Keys are the 32-byte wire form, as in the <key>/<skey>/<identity> nodes.
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "signal/keys.h"
#include "store/signal_store.h"

namespace wacrm::signal {

struct PreKeyPublic {
  std::uint32_t id = 0;
  Bytes public_key;
};

struct SignedPreKeyPublic {
  std::uint32_t id = 0;
  Bytes public_key;
  Bytes signature;  // 64 bytes
};

struct PreKeyBundle {
  std::uint32_t registration_id = 0;
  int device_id = 0;
  std::optional<PreKeyPublic> pre_key;  // absent once the server ran out
  SignedPreKeyPublic signed_pre_key;
  Bytes identity_key;
};

// The bundle a device with this local identity publishes, offering
// `pre_key` as its one-time pre-key (for tests and the simulator).
PreKeyBundle bundle_for(const store::SignalLocalIdentity& identity, int device_id,
                        const std::optional<PreKey>& pre_key);

}  // namespace wacrm::signal
