// The chat and author of a message as the store keys them, and the people
// the stanza shows (notes 02 §2.10).
//
// One person may write as a phone number and as a LID. The store keys a
// message by (chat, id, author), so both must be spelled the same way every
// time the message arrives: a LID is replaced by the phone JID whenever the
// pair is known (from the stanza's alternate-id attributes, else from the
// LID map), and our own messages are always authored by our phone JID.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/error.h"
#include "store/message_repository.h"
#include "wa/message_addressing.h"

namespace wacrm::wa {

struct MessagePeople {
  std::string chat_jid;                          // canonical chat
  std::string sender_jid;                        // canonical author
  std::optional<store::PersonSighting> sender;   // someone else's message: the author
  std::optional<store::PersonSighting> chat_person;  // a 1:1 chat: the other side
};

// Looks up the LID map for LIDs the stanza does not pair itself.
Result<MessagePeople> resolve_people(const MessageAddressing& a, const OwnIdentity& own,
                                     store::MessageRepository& repository, std::int64_t account_id);

// A JID as the store keys the author of a message this one refers to
// (reactions, edits, revokes name their target's author): the phone JID for
// a LID with a known pair.
Result<std::string> canonical_user(const wire::Jid& jid, store::MessageRepository& repository,
                                   std::int64_t account_id);

}  // namespace wacrm::wa
