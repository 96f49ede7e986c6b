// A client's own group send, relayed (whatsmeow send.go sendGroup; Baileys
// relayMessage for a group):
//   <message to="ID@g.us" id type><participants><to jid><enc type="pkmsg|msg"/></to>…</participants>
//     <enc type="skmsg"/>[<device-identity/>]</message>
// The <participants> carry the sender key (SKDM) for the devices that lack
// it; the one skmsg is for everyone. The sender gets the server ack first
// (phash over every member device), then each member device but the sending
// one gets <message from="ID@g.us" participant=SENDER_DEVICE id t type notify>
// with its own <enc> (if any), the skmsg and the device identity. Member
// phones are wasim's and are not sent group traffic. A sender that is not a
// member, or a message without its skmsg, is refused in the ack (error 403 /
// 400, inferred).
#pragma once

#include "wasim/groups.h"
#include "wasim/session.h"
#include "wire/node.h"

namespace wacrm::wasim {

class World;

void relay_group_message(World& world, Session& session, const wire::Node& message, Group& group);

}  // namespace wacrm::wasim
