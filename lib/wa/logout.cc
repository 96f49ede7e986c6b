#include "wa/logout.h"

#include "wa/iq.h"

namespace wacrm::wa {

wire::Node remove_companion_device(const wire::Jid& own_device) {
  return make_iq("set", "md",
                 {wire::Node("remove-companion-device",
                             {{"jid", own_device.to_string()}, {"reason", std::string(kUserInitiatedLogout)}})});
}

}  // namespace wacrm::wa
