// Our byte encodings <-> libsignal's ec_* key objects. Internal to
// lib/signal (includes the C headers); conversions go through keys.h.
#pragma once

#include <curve.h>

#include "base/bytes.h"
#include "signal/errors.h"
#include "signal/keys.h"
#include "signal/signal_ptr.h"

namespace wacrm::signal {

// From a 32-byte wire public key.
SignalResult<SignalPtr<ec_public_key>> decode_wire_public(ByteView wire_key, signal_context* context);
SignalResult<SignalPtr<ec_private_key>> decode_private(ByteView private_key, signal_context* context);
SignalResult<SignalPtr<ec_key_pair>> decode_key_pair(const KeyPair& pair, signal_context* context);

// To the 32-byte wire form / raw private bytes.
Bytes encode_wire_public(const ec_public_key* key);
Bytes encode_private(const ec_private_key* key);

}  // namespace wacrm::signal
