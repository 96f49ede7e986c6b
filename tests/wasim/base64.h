// Standard base64 with padding (the QR string's key fields, admin JSON).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace wacrm::wasim {

std::string base64_encode(ByteView bytes);
// nullopt for anything that is not canonical padded base64.
std::optional<Bytes> base64_decode(std::string_view text);

}  // namespace wacrm::wasim
