#include "wa/client_config.h"

#include <charconv>

namespace wacrm::wa {

std::string AppVersion::to_string() const {
  return std::to_string(primary) + "." + std::to_string(secondary) + "." + std::to_string(tertiary);
}

Result<AppVersion> parse_app_version(std::string_view text) {
  auto bad = [&] {
    return make_error(Errc::invalid_argument, "version '" + std::string(text) +
                                                  "' is not three dot-separated numbers like 2.3000.1045649367");
  };
  std::uint32_t parts[3] = {};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (p == end || *p != '.') return bad();
      ++p;
    }
    auto [next, ec] = std::from_chars(p, end, parts[i]);
    if (ec != std::errc() || next == p) return bad();
    p = next;
  }
  if (p != end) return bad();
  return AppVersion{parts[0], parts[1], parts[2]};
}

Result<noise::PublicKey> parse_public_key_hex(std::string_view hex) {
  Bytes bytes;
  noise::PublicKey key{};
  if (!from_hex(hex, bytes) || !noise::to_public_key(bytes, key))
    return make_error(Errc::invalid_argument, "'" + std::string(hex) + "' is not a 32-byte key in 64 hex digits");
  return key;
}

}  // namespace wacrm::wa
