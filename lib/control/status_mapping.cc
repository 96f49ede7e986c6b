#include "control/status_mapping.h"

#include "control/envelope.pb.h"

namespace wacrm::control {

StatusCode status_for(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return STATUS_INVALID_ARGUMENT;
    case Errc::not_found: return STATUS_NOT_FOUND;
    case Errc::already_exists: return STATUS_ALREADY_EXISTS;
    case Errc::permission_denied: return STATUS_PERMISSION_DENIED;
    case Errc::unavailable: return STATUS_UNAVAILABLE;
    case Errc::database: return STATUS_UNAVAILABLE;   // the client can retry; details are in our log
    case Errc::timeout: return STATUS_TIMEOUT;
    case Errc::cancelled: return STATUS_CANCELLED;
    case Errc::malformed: return STATUS_MALFORMED;
    case Errc::too_large: return STATUS_INVALID_ARGUMENT;
    case Errc::unsupported: return STATUS_INVALID_ARGUMENT;
    case Errc::conflict: return STATUS_FAILED_PRECONDITION;
    case Errc::protocol:
    case Errc::crypto:
    case Errc::internal: return STATUS_INTERNAL;
  }
  return STATUS_INTERNAL;
}

}  // namespace wacrm::control
