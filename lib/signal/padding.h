// WhatsApp's random padding around every Signal-encrypted Message (notes
// §1.5): n bytes of value n appended, 1 <= n <= 15, n random. Applies to
// pkmsg, msg and skmsg with v="2"; never to plaintext or v="3" payloads.
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/error.h"
#include "signal/errors.h"

namespace wacrm::signal {

// Appends random padding (Errc::internal only if the system RNG fails).
Result<Bytes> add_padding(ByteView message);
// Appends exactly n bytes of value n; n must be 1..15 (the deterministic
// core of add_padding, for tests and vectors).
Bytes add_padding(ByteView message, std::uint8_t n);

// Drops the padding after checking it as whatsmeow does: not empty, last
// byte n >= 1 and <= length, and all n trailing bytes equal n. (n above 15
// is accepted, as whatsmeow does: senders we have not seen may pad more.)
// SignalErrc::bad_padding otherwise.
SignalResult<Bytes> strip_padding(ByteView padded);

}  // namespace wacrm::signal
