#include "base/error.h"

namespace wacrm {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return "invalid argument";
    case Errc::not_found: return "not found";
    case Errc::already_exists: return "already exists";
    case Errc::permission_denied: return "permission denied";
    case Errc::unavailable: return "unavailable";
    case Errc::timeout: return "timed out";
    case Errc::cancelled: return "cancelled";
    case Errc::malformed: return "malformed";
    case Errc::too_large: return "too large";
    case Errc::unsupported: return "unsupported";
    case Errc::protocol: return "protocol error";
    case Errc::crypto: return "cryptographic check failed";
    case Errc::database: return "database error";
    case Errc::conflict: return "conflict";
    case Errc::internal: return "internal error";
  }
  return "unknown error";
}

std::string Error::to_string() const {
  std::string out(errc_name(code));
  if (!message.empty()) {
    out += ": ";
    out += message;
  }
  return out;
}

}  // namespace wacrm
