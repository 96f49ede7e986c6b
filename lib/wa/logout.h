// Unlinking our companion from our side (protocol notes 01 §9): the
// remove-companion-device iq. After its result the session wipes the
// credentials (and only then, as whatsmeow does); the account's messages and
// CRM data stay.
#pragma once

#include "wire/jid.h"
#include "wire/node.h"

namespace wacrm::wa {

inline constexpr std::string_view kUserInitiatedLogout = "user_initiated";

// <iq to=server type="set" xmlns="md"><remove-companion-device jid=<own device> reason="user_initiated"/></iq>
wire::Node remove_companion_device(const wire::Jid& own_device);

}  // namespace wacrm::wa
