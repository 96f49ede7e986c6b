#include "wa/receipt_handler.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "signal/address.h"
#include "wa/group_info.h"
#include "wa/iq.h"
#include "wa/message_people.h"

namespace wacrm::wa {

namespace {

// What a receipt type says about our message (notes 02 §3.3). Receipts of
// our own other devices reading (read-self, played-self) concern messages
// we received, and retry receipts ask us to re-send: neither changes a status.
std::optional<store::MessageStatus> status_of(std::string_view type) {
  if (type.empty() || type == "inactive") return store::MessageStatus::delivered;
  if (type == "read") return store::MessageStatus::read;
  if (type == "played") return store::MessageStatus::played;
  if (type == "sender") return store::MessageStatus::server_ack;
  return std::nullopt;
}

// The first id, the <list><item id/> ids, and the ids of the aggregated
// group form <participants key=ID>.
std::vector<std::string> receipt_ids(const wire::Node& receipt) {
  std::vector<std::string> ids;
  if (auto id = receipt.attr("id"); id && !id->empty()) ids.emplace_back(*id);
  if (const wire::Node* list = receipt.child("list"))
    for (const wire::Node* item : list->children("item"))
      if (auto id = item->attr("id"); id && !id->empty()) ids.emplace_back(*id);
  for (const wire::Node* participants : receipt.children("participants"))
    if (auto key = participants->attr("key"); key && !key->empty()) ids.emplace_back(*key);
  return ids;
}

// The chat a receipt is about: the group, or the other person (a receipt
// from one of our own devices names them as `recipient`).
std::optional<wire::Jid> receipt_chat(const wire::Node& receipt, const OwnIdentity& own) {
  auto from = receipt.attr_jid("from");
  if (!from) return std::nullopt;
  if (from->is_group() || from->is_broadcast()) return from->to_non_ad();
  if (own.is_own_user(*from))
    if (auto recipient = receipt.attr_jid("recipient")) return recipient->to_non_ad();
  return from->to_non_ad();
}

// A user's identity changed (reinstall): every session and identity we hold
// for them goes; their next message starts afresh (notes 02 §2.8).
Status forget_identity(const wire::Jid& user, store::SignalStore& signal) {
  auto address = signal::signal_address_for(user.user(), user.server(), 0);
  if (!address) return {};  // not a person: nothing stored for it
  auto devices = WACRM_TRY(signal.sub_device_sessions(address->name));
  if (std::find(devices.begin(), devices.end(), 0) == devices.end()) devices.push_back(0);
  WACRM_TRY(signal.delete_all_sessions(address->name));
  for (int device : devices) WACRM_TRY(signal.delete_identity(address->name, device));
  return {};
}

// w:gp2: the new subject, and the LID/phone pairs its participants reveal.
// <create><group subject…><participant/>…</group></create> is how the server
// tells us of a group we were put in (whatsmeow: events.JoinedGroup): the
// group's subject and participants come inside its <group>.
Status apply_group_change(const wire::Node& notification, const MessageHandlerConfig& config,
                          store::MessageRepository& messages) {
  auto group = notification.attr_jid("from");
  if (!group || !group->is_group()) return {};
  for (const wire::Node& outer : notification.child_nodes()) {
    const wire::Node* created = outer.tag == "create" ? outer.child("group") : nullptr;
    const wire::Node& change = created ? *created : outer;
    if (change.tag == "subject" || created)
      if (auto subject = change.attr("subject"))
        WACRM_TRY(messages.set_group_subject(config.account_id, group->to_non_ad().to_string(), *subject));
    WACRM_TRY(record_participant_pairs(change, config.account_id, messages));
  }
  return {};
}

}  // namespace

HandleResult handle_receipt(const wire::Node& stanza, const MessageHandlerConfig& config, MessageStores& stores) {
  return run_in_transaction(stores, [&](HandleResult& out) -> Status {
    out.send = {ack_for(stanza)};
    auto status = status_of(stanza.attr_or("type"));
    auto chat = receipt_chat(stanza, config.own);
    auto ids = receipt_ids(stanza);
    if (!status || !chat || ids.empty()) return {};
    const std::string chat_jid = WACRM_TRY(canonical_user(*chat, stores.messages(), config.account_id));
    const int changed = WACRM_TRY(stores.messages().update_status(config.account_id, chat_jid, ids, *status));
    MessageEvent event{MessageEvent::Type::status_changed, chat_jid, std::move(ids)};
    event.from_me = true;
    event.status = status;
    event.changed = changed;
    out.events.push_back(std::move(event));
    return {};
  });
}

HandleResult handle_group_answer(const wire::Node& answer, const MessageHandlerConfig& config, MessageStores& stores) {
  return run_in_transaction(stores, [&](HandleResult&) -> Status {
    return apply_group_answer(answer, config.account_id, stores.messages());
  });
}

HandleResult handle_notification(const wire::Node& stanza, const MessageHandlerConfig& config,
                                 MessageStores& stores) {
  return run_in_transaction(stores, [&](HandleResult& out) -> Status {
    out.send = {ack_for(stanza)};
    const std::string_view type = stanza.attr_or("type");
    if (type == "w:gp2") return apply_group_change(stanza, config, stores.messages());
    if (type == "encrypt" && stanza.child("identity"))
      if (auto from = stanza.attr_jid("from"); from && from->is_user())
        return forget_identity(from->to_non_ad(), stores.signal());
    return {};
  });
}

}  // namespace wacrm::wa
