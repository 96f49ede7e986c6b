// zlib (RFC 1950) inflation with a hard cap on the output, for compressed
// frame payloads. Library-internal to lib/wire but usable by tests.
#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::wire {

// Inflates one complete zlib stream. Errc::too_large once the output would
// exceed max_output (capped at 4 GiB; without ever allocating more than that), Errc::malformed
// for corrupt, truncated or trailing data.
Result<Bytes> zlib_inflate(ByteView compressed, std::size_t max_output);

// Compresses into a zlib stream (used by tests and simulators: clients never
// send compressed frames).
Bytes zlib_deflate(ByteView data);

}  // namespace wacrm::wire
