// A simulated member's phone sending to a group, the way a phone does it
// (02 §1.5, whatsmeow send.go sendGroup): its sender key's distribution
// message (SKDM) encrypted one-to-one (pkmsg/msg) for every member device
// that lacks it, and the content once as an skmsg under that sender key. The
// server's side of it: one <message from=group participant=member> per
// recipient device, carrying that device's <enc> (if any) and the skmsg.
// The members' simulated phones are not sent anything: wasim is them.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "wasim/groups.h"

namespace wacrm::wa {
class Message;
}

namespace wacrm::wasim {

class World;

// -> {"id","t","group","devices":[{"jid","types":[…],"queued"}…]}
Result<nlohmann::json> send_to_group(World& world, Account& from, Group& group, const wa::Message& message,
                                     const std::string& id, const std::string& type, std::int64_t t);

// The Message with the sender's SKDM for `group` added (a retry's resend
// carries it, so a device that lost the sender key gets it again).
Result<wa::Message> with_sender_key(World& world, Account& from, const Group& group, wa::Message message);

}  // namespace wacrm::wasim
