#include "wa/message_addressing.h"

#include <charconv>

namespace wacrm::wa {

namespace {

Error malformed(std::string_view what, std::string_view id) {
  return Error{Errc::malformed, "message '" + std::string(id) + "': " + std::string(what)};
}

// The other identity of `jid` from one of two attributes: the LID attribute
// when jid is a phone number, the phone attribute when it is a LID. Values
// that are not of the expected form are ignored (the server's business).
std::optional<wire::Jid> alternate(const wire::Node& stanza, const wire::Jid& jid, std::string_view pn_attr,
                                   std::string_view lid_attr) {
  std::string_view attr = jid.is_lid() ? pn_attr : lid_attr;
  auto value = stanza.attr_jid(attr);
  if (!value) return std::nullopt;
  wire::Jid alt = value->to_non_ad();
  if (jid.is_lid() ? !alt.is_pn() : !alt.is_lid()) return std::nullopt;
  return alt;
}

std::optional<LidPair> pair_of(const wire::Jid& jid, const std::optional<wire::Jid>& alt) {
  if (!alt) return std::nullopt;
  wire::Jid user = jid.to_non_ad();
  return user.is_lid() ? LidPair{user, *alt} : LidPair{*alt, user};
}

std::optional<std::int64_t> timestamp_of(const wire::Node& stanza) {
  auto text = stanza.attr_or("t");
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

bool OwnIdentity::is_own_user(const wire::Jid& jid) const {
  if (jid.user().empty()) return false;
  if (jid.is_pn() && !pn.is_empty() && jid.user() == pn.user()) return true;
  return jid.is_lid() && !lid.is_empty() && jid.user() == lid.user();
}

Result<MessageAddressing> address_message(const wire::Node& stanza, const OwnIdentity& own) {
  MessageAddressing a;
  a.id = stanza.attr_or("id");
  if (a.id.empty()) return std::unexpected(malformed("no id", a.id));
  auto from = stanza.attr_jid("from");
  if (!from) return std::unexpected(malformed("no valid 'from'", a.id));
  a.from = *from;
  a.timestamp = timestamp_of(stanza);
  if (auto notify = stanza.attr("notify"); notify && !notify->empty() && *notify != "-") a.push_name = *notify;
  a.offline = stanza.attr("offline").has_value();
  a.peer = stanza.attr_or("category") == "peer";

  if (a.from.is_group() || a.from.is_broadcast()) {
    a.chat_kind = a.from.is_group() ? ChatKind::group : ChatKind::broadcast;
    auto participant = stanza.attr_jid("participant");
    if (!participant || !participant->is_user())
      return std::unexpected(malformed("a group or broadcast message without a valid 'participant'", a.id));
    a.chat = a.from.to_non_ad();
    a.sender = *participant;
    a.from_me = own.is_own_user(a.sender);
    a.sender_alt = alternate(stanza, a.sender, "participant_pn", "participant_lid");
  } else if (a.from.is_newsletter()) {
    a.chat_kind = ChatKind::newsletter;
    a.chat = a.from.to_non_ad();
    a.sender = a.chat;
  } else if (a.from.is_user()) {
    a.chat_kind = ChatKind::direct;
    a.sender = a.from;
    if (stanza.attr("recipient")) {
      // Our own message, sent from another of our devices: the chat is the recipient.
      auto recipient = stanza.attr_jid("recipient");
      if (!recipient || !recipient->is_user()) return std::unexpected(malformed("no valid 'recipient'", a.id));
      if (!own.is_own_user(a.from))
        return make_error(Errc::protocol, "message '" + a.id + "' has a recipient but is not from one of our devices");
      a.chat = recipient->to_non_ad();
      a.from_me = true;
      a.chat_alt = alternate(stanza, a.chat, "peer_recipient_pn", "peer_recipient_lid");
    } else {
      a.chat = a.from.to_non_ad();
      a.from_me = own.is_own_user(a.from);
      a.sender_alt = alternate(stanza, a.sender, "sender_pn", "sender_lid");
      a.chat_alt = a.sender_alt;
    }
  } else {
    return std::unexpected(malformed("'from' is neither a person, a group, a list nor a channel", a.id));
  }

  if (a.chat_kind != ChatKind::newsletter) {
    auto address = signal::signal_address_for(a.sender.user(), a.sender.server(), a.sender.device());
    if (!address) return std::unexpected(malformed("no Signal address for the sender: " + address.error().message, a.id));
    a.signal_address = std::move(*address);
  }
  if (auto pair = pair_of(a.sender, a.sender_alt)) a.pairs.push_back(*pair);
  if (a.from_me && a.chat_kind == ChatKind::direct)
    if (auto pair = pair_of(a.chat, a.chat_alt)) a.pairs.push_back(*pair);
  return a;
}

}  // namespace wacrm::wa
