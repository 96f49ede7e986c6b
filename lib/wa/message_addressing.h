// Who wrote a <message> stanza, in which chat, and which Signal session
// decrypts it (protocol notes 02 §1.1, §1.3, §2.10). Pure: attributes in,
// values out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "signal/address.h"
#include "wire/jid.h"
#include "wire/node.h"

namespace wacrm::wa {

// Our own account as the server knows it after login. Stanzas are matched to
// it by user part only (any of our devices is "us").
struct OwnIdentity {
  wire::Jid pn;   // our device JID, "15551234567:12@s.whatsapp.net"
  wire::Jid lid;  // our LID device JID; empty when the server gave none

  bool is_own_user(const wire::Jid& jid) const;
};

// A phone-number JID and a LID the server says belong to one person (both
// without a device).
struct LidPair {
  wire::Jid lid;
  wire::Jid pn;
};

enum class ChatKind { direct, group, broadcast, newsletter };

struct MessageAddressing {
  std::string id;
  wire::Jid from;                  // as received: the device, or the group/list/channel
  wire::Jid chat;                  // without a device
  ChatKind chat_kind = ChatKind::direct;
  wire::Jid sender;                // the sending device (`from`, or `participant`)
  bool from_me = false;
  bool peer = false;               // category="peer": traffic between our own devices
  bool offline = false;            // replayed from the server's offline queue
  std::optional<std::int64_t> timestamp;   // `t`, Unix seconds
  std::optional<std::string> push_name;    // `notify` ("-" means none)
  // pkmsg/msg are decrypted with this device's session; skmsg with the sender
  // key (chat, this address). Unset for newsletters (plaintext).
  std::optional<signal::Address> signal_address;
  // The sender's other identity (sender_pn/sender_lid, participant_pn/_lid)
  // and, for our own 1:1 messages, the chat partner's (peer_recipient_*).
  std::optional<wire::Jid> sender_alt;
  std::optional<wire::Jid> chat_alt;
  std::vector<LidPair> pairs;      // every pair the attributes reveal

  bool is_group_like() const { return chat_kind == ChatKind::group || chat_kind == ChatKind::broadcast; }
};

// Errc::malformed for a stanza without id or from, a group/broadcast message
// without participant, or addresses that are no JIDs; Errc::protocol for a
// `recipient` on a message that is not from one of our devices.
Result<MessageAddressing> address_message(const wire::Node& stanza, const OwnIdentity& own);

}  // namespace wacrm::wa
