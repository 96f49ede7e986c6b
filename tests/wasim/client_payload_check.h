// Decides what a ClientPayload (the ClientFinish payload) is allowed to do,
// with the failure codes the real server uses (README "ClientPayload
// checks"): a registration with valid pairing data, a login of a known
// companion presenting its own Noise key, or a <failure reason=N/>.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "noise/secret_key.h"
#include "wasim/directory.h"
#include "wasim/server_options.h"
#include "wasim/session.h"

namespace wacrm::wasim {

struct PayloadDecision {
  enum class Kind { registration, login, refuse };
  Kind kind = Kind::refuse;
  int failure_reason = 0;  // refuse: <failure reason=…/>
  std::string why;         // refuse: for the log and the event
  Registration registration;  // registration
  std::string phone;          // login
  std::uint16_t device = 0;   // login
  bool passive = false;
  AppVersion version;
};

PayloadDecision check_client_payload(ByteView payload, const noise::PublicKey& client_static,
                                     const AppVersion& min_version, Directory& directory);

}  // namespace wacrm::wasim
