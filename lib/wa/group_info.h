// Group metadata from the server (protocol notes 02 §8.6): after every login
// the session asks for the groups the account is in (whatsmeow's
// GetJoinedGroups), because a group joined before this device was linked
// never sends it a w:gp2 notification -- without the answer, such a group
// shows as a bare JID until its subject changes. The answer is stored like a
// w:gp2 notification: each group's subject, and the LID/phone pairs its
// participants reveal.
#pragma once

#include <cstdint>

#include "base/error.h"
#include "store/message_repository.h"
#include "wire/node.h"

namespace wacrm::wa {

// <iq xmlns="w:g2" type="get" to="@g.us"><participating><participants/>
// <description/></participating></iq>, without an id yet.
wire::Node participating_groups_query();

// Stores what an answer says: for each <group id subject> in <groups> (or a
// lone <group>, the answer to one group's query), its subject and its
// participants' pairs. Groups with an id that is no group JID are skipped.
Status apply_group_answer(const wire::Node& answer, std::int64_t account_id, store::MessageRepository& messages);

// The LID/phone pairs of the <participant jid lid?|phone_number?> children of
// a <group> (or of a w:gp2 change such as <add>).
Status record_participant_pairs(const wire::Node& group, std::int64_t account_id,
                                store::MessageRepository& messages);

}  // namespace wacrm::wa
