// XEdDSA signatures with Curve25519 keys (libsignal's curve_calculate_signature
// / curve_verify_signature), as WhatsApp uses them: signed pre-keys, the
// pairing (ADV) account and device signatures, the Noise certificate chain.
// Keys are the raw 32-byte wire form; signatures are 64 bytes.
#pragma once

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::signal {

class Context;

// Signs with a 32-byte Curve25519 private key (randomised: two signatures of
// one message differ, both verify). Errc::invalid_argument for a bad key.
Result<Bytes> xeddsa_sign(Context& context, ByteView private_key, ByteView message);

// True when `signature` (64 bytes) is a valid XEdDSA signature of `message`
// by the 32-byte public key. False for any malformed input. Needs no Context.
bool xeddsa_verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace wacrm::signal
