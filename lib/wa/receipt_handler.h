// <receipt> and <notification> stanzas (protocol notes 02 §3.3, §9): what
// they change in the store, committed before the <ack> every one of them
// needs. Sans-I/O like the message handler: stanza and stores in, nodes to
// send after the commit and events out; a database failure returns the error
// and nothing to send (the server delivers the stanza again).
//
// Receipts for our own messages raise messages.status (delivered, read,
// played). Notifications: w:gp2 subject changes and the LID/phone pairs of
// its participants, and identity changes (encrypt + <identity/>: that user's
// sessions and identities go, the next message builds new ones); every other
// type is only acked. Pre-key count notifications (encrypt + <count>) are the
// session's (wa/prekeys.h) and never reach these functions. The answer to
// the session's participating-groups query (wa/group_info.h) is stored the
// same way: subjects and pairs, nothing to send.
#pragma once

#include "wa/message_handler.h"
#include "wa/message_stores.h"
#include "wire/node.h"

namespace wacrm::wa {

HandleResult handle_receipt(const wire::Node& stanza, const MessageHandlerConfig& config, MessageStores& stores);
HandleResult handle_notification(const wire::Node& stanza, const MessageHandlerConfig& config,
                                 MessageStores& stores);
HandleResult handle_group_answer(const wire::Node& answer, const MessageHandlerConfig& config, MessageStores& stores);

}  // namespace wacrm::wa
