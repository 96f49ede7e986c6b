// The QR string a companion shows (protocol notes 01 §6.2, 03 §10.2), as the
// phone reads it. Both forms are accepted:
//   REF,NOISE_PUB_B64,IDENTITY_PUB_B64,ADV_SECRET_B64                 (Baileys 6)
//   https://wa.me/settings/linked_devices#REF,NOISE,IDENTITY,ADV,PLATFORM   (current)
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::wasim {

struct QrCode {
  std::string ref;
  Bytes noise_key;     // 32
  Bytes identity_key;  // 32
  Bytes adv_secret;    // 32
  std::string platform_id;  // empty in the 4-field form
};

// Errc::invalid_argument naming the field that is wrong.
Result<QrCode> parse_qr_string(std::string_view text);

}  // namespace wacrm::wasim
