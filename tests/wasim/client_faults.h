// Faults aimed at one companion, so the client's own failure handling can be
// tested end to end (issue 5): a connection that goes silent (keep-alive
// timeout), pre-keys running low on the server (the encrypt notification),
// and a login refused with a chosen <failure> (armed in Faults, used by Login).
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "wasim/directory.h"

namespace wacrm::wasim {

class World;

// Below this many one-time pre-keys left on the server a companion is told
// (both clients upload more when told N < 5, notes 02 §2.9; the server's own
// threshold is not documented: the same number, inferred).
inline constexpr std::size_t kPreKeysLow = 5;

// {"jid"} -> {"silenced": N}: the device's connection reads and drops
// everything and answers nothing from now on, but stays open.
Result<nlohmann::json> silence_device(World& world, const nlohmann::json& request);
// {"jid", "count"?: 2} -> {"jid", "count", "discarded"}: the server drops the
// companion's one-time pre-keys down to `count` (as if others had fetched
// them) and sends <notification type="encrypt"><count value/></notification>.
Result<nlohmann::json> pre_keys_low(World& world, const nlohmann::json& request);
// {"reason", "jid"?, …} (Faults::arm_login_failure) -> the faults now armed.
Result<nlohmann::json> fail_login(World& world, const nlohmann::json& request);

// After a bundle fetch took one of `device`'s one-time pre-keys: when that
// left fewer than kPreKeysLow, a connected companion gets the notification
// (once, as the count crosses the line).
void after_pre_key_taken(World& world, const DeviceRef& device);

}  // namespace wacrm::wasim
