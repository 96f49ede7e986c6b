#include "wasim/relay.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "wa/e2e.pb.h"
#include "wasim/group_relay.h"
#include "wasim/login.h"
#include "wasim/participant_hash.h"
#include "wasim/retry.h"
#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

using wire::Node;

namespace {

// The stream error for a message addressed to something that is no device:
// an unparseable JID, or a device the server never issued (README "Strictness").
constexpr std::string_view kBadAddress = "xml-not-well-formed";

// Attributes of a client's <message> the recipients see unchanged.
constexpr const char* kCopiedAttrs[] = {"type", "edit", "category", "push_priority", "addressing_mode"};

Result<signal::MessageType> enc_type(const Node& enc) {
  auto type = enc.attr_or("type");
  if (type == "pkmsg") return signal::MessageType::pkmsg;
  if (type == "msg") return signal::MessageType::msg;
  return make_error(Errc::unsupported, "enc type '" + std::string(type) + "'");
}

// Whether the server ever gave out this device: device 0 of an account, or a
// companion number below the account's next one (linked now or unlinked since).
bool was_issued(Directory& directory, const wire::Jid& jid) {
  Account* account = directory.account_of(jid);
  return account && jid.device() < account->next_device;
}

// Every device of the chat's user and of the sender's user as the server
// knows them now, in the chat's addressing: what the phash is computed over.
std::vector<wire::Jid> current_devices(const Account& chat_owner, const Account& sender, bool lid) {
  std::vector<wire::Jid> devices;
  std::vector<const Account*> users{&chat_owner};
  if (&sender != &chat_owner) users.push_back(&sender);
  for (const Account* account : users) {
    std::vector<std::uint16_t> ids{0};
    for (const auto& [device, companion] : account->companions) ids.push_back(device);
    for (auto device : ids) devices.push_back(lid ? account->lid_jid(device) : account->pn_jid(device));
  }
  return devices;
}

}  // namespace

void Relay::reject(Session& session, const std::string& reason, std::string_view condition) {
  world_.event("stanza_rejected", {{"connection", session.id}, {"jid", world_.device_jid(session)}, {"reason", reason}});
  Node error = stream_error_condition(condition);
  world_.end(session, &error, reason);
}

void Relay::refuse_unknown_chat(Session& session, const std::string& id, const wire::Jid& to,
                                const wire::Jid& sender_jid) {
  // Not on WhatsApp and nothing addressed to a device: refused in the ack (inferred code).
  Node refusal = ack("message", id, to.to_string());
  refusal.set_attr("t", std::to_string(unix_now()));
  refusal.set_attr("error", "404");
  session.connection->send(refusal);
  world_.event("message_refused", {{"from", sender_jid.to_string()}, {"to", to.to_string()}, {"id", id}});
}

void Relay::on_message(Session& session, const wire::Node& message) {
  if (session.role != Session::Role::logged_in) return reject(session, "a message before login");
  std::string id(message.attr_or("id"));
  auto to = message.attr_jid("to");
  if (id.empty() || !to) return reject(session, "a message without id or with a bad 'to'");
  if (Group* group = to->is_group() ? world_.groups().find(to->to_string()) : nullptr)
    return relay_group_message(world_, session, message, *group);
  Account* sender = world_.directory().by_phone(session.device->phone);
  wire::Jid sender_jid = to->is_lid() ? sender->lid_jid(session.device->device) : sender->pn_jid(session.device->device);
  Account* chat_owner = world_.directory().account_of(*to);

  // Targets: <participants><to jid><enc/></to>…, or bare <enc>s for the `to` device.
  struct Target {
    DeviceRef device;
    wire::Jid jid;
    std::vector<const Node*> encs;
  };
  std::vector<Target> targets;
  Json skipped = Json::array();
  std::string never_issued;  // a device JID the server never gave out ends the stream
  auto add_target = [&](const wire::Jid& jid, std::vector<const Node*> encs) -> bool {
    if (!jid.is_user()) return false;
    auto device = world_.directory().device(jid);
    if (!device) {
      if (!was_issued(world_.directory(), jid)) never_issued = jid.to_string();
      // Unlinked since (a stale device list): skipped; the ack's phash differs from the sender's.
      else skipped.push_back(jid.to_string());
      return true;
    }
    if (device->account == sender && device->device == session.device->device) return true;
    targets.push_back({*device, jid, std::move(encs)});
    return true;
  };
  if (const Node* participants = message.child("participants")) {
    for (const Node& target : participants->child_nodes()) {
      auto jid = target.attr_jid("jid");
      auto encs = target.children("enc");
      if (target.tag == "to" && !jid)
        return reject(session, "a <participants> entry names no device: '" + std::string(target.attr_or("jid")) + "'",
                      kBadAddress);
      if (target.tag != "to" || encs.empty() || !add_target(*jid, encs))
        return reject(session, "a <participants> entry is not <to jid><enc/></to>");
    }
  } else {
    auto encs = message.children("enc");
    if (encs.empty() || !add_target(*to, encs)) return reject(session, "a message with nothing to deliver");
  }
  if (!never_issued.empty())
    return reject(session, "a message to device '" + never_issued + "', which does not exist", kBadAddress);
  if (!chat_owner) return refuse_unknown_chat(session, id, *to, sender_jid);

  // The server's ack goes first: a delivery receipt (the phones answer at
  // once) must not overtake the acceptance of the stanza it confirms.
  std::string t = std::to_string(unix_now());
  Node server_ack = ack("message", id, to->to_string());
  server_ack.set_attr("t", t);
  server_ack.set_attr("phash", participant_hash(current_devices(*chat_owner, *sender, to->is_lid())));
  session.connection->send(server_ack);
  const Node* device_identity = message.child("device-identity");
  Json delivered = Json::array();
  for (const Target& target : targets) {
    Account& owner = *target.device.account;
    bool own = &owner == sender;
    wire::Jid target_jid = target.jid.is_lid() ? owner.lid_jid(target.device.device) : owner.pn_jid(target.device.device);
    if (target.device.is_phone()) {
      for (const Node* enc : target.encs) to_phone(owner, sender->pn_jid(session.device->device), *enc, id, own);
      delivered.push_back(target_jid.to_string());
      continue;
    }
    Node stanza("message", {{"from", sender_jid.to_string()}, {"to", target_jid.to_string()}, {"id", id}, {"t", t}});
    for (const char* key : kCopiedAttrs)
      if (auto value = message.attr(key)) stanza.set_attr(key, std::string(*value));
    if (!sender->push_name.empty() && !message.attr("category")) stanza.set_attr("notify", sender->push_name);
    if (own && chat_owner != sender) stanza.set_attr("recipient", to->to_string());
    Node::Children children;
    for (const Node* enc : target.encs) children.push_back(*enc);
    if (device_identity) children.push_back(*device_identity);
    stanza.content = std::move(children);
    PendingStanza pending;
    pending.stanza = std::move(stanza);
    pending.id = id;
    pending.from_user = sender->phone;
    pending.confirm_class = "message";
    world_.deliver(DeviceId{owner.phone, target.device.device}, std::move(pending));
    delivered.push_back(target_jid.to_string());
  }
  world_.event("message_sent", {{"from", sender_jid.to_string()},
                                {"to", to->to_string()},
                                {"id", id},
                                {"type", std::string(message.attr_or("type"))},
                                {"targets", delivered},
                                {"skipped", skipped}});
}

void Relay::to_phone(Account& target, const wire::Jid& sender, const wire::Node& enc, const std::string& id, bool own) {
  Json event = {{"phone", target.phone}, {"from", sender.to_string()}, {"id", id}};
  auto type = enc_type(enc);
  auto address = address_of(sender);
  const Bytes* ciphertext = enc.bytes();
  if (!type || !address || !ciphertext) {
    event["error"] = !type ? type.error().message : "bad enc";
    world_.event("phone_received", std::move(event));
    return;
  }
  auto plaintext = world_.phone(target).decrypt(*address, *type, *ciphertext);
  if (!plaintext) {
    event["error"] = plaintext.error().to_string();
    world_.event("phone_received", std::move(event));
    return;
  }
  wa::Message message;
  if (!message.ParseFromArray(plaintext->data(), static_cast<int>(plaintext->size()))) {
    event["error"] = "not a Message";
  } else {
    const wa::Message& content = message.has_device_sent_message() ? message.device_sent_message().message() : message;
    if (content.has_conversation()) event["text"] = content.conversation();
    else if (content.has_extended_text_message()) event["text"] = content.extended_text_message().text();
    std::string json;
    if (google::protobuf::util::MessageToJsonString(message, &json).ok()) event["message"] = Json::parse(json, nullptr, false);
  }
  world_.event("phone_received", std::move(event));
  world_.mark_dirty();
  if (own) return;  // our own phone does not send delivery receipts to us
  // The phone is always online: a delivery receipt goes back to the sender.
  auto sender_device = world_.directory().device(sender);
  if (!sender_device || sender_device->is_phone()) return;
  PendingStanza receipt;
  receipt.stanza = Node("receipt", {{"from", target.pn_jid().to_string()}, {"id", id}, {"t", std::to_string(unix_now())}});
  receipt.id = id;
  receipt.from_user = target.phone;
  receipt.confirm_class = "receipt";
  world_.deliver(DeviceId{sender_device->account->phone, sender_device->device}, std::move(receipt));
}

void Relay::confirm(Session& session, const std::string& klass, const std::string& id, const std::string& to) {
  std::string to_user;
  if (auto jid = wire::Jid::parse(to)) {
    Account* account = world_.directory().account_of(*jid);
    to_user = account ? account->phone : jid->user();
  }
  auto confirmed = world_.queue().confirm(*session.device, klass, id, to_user);
  for (const auto& c : confirmed) {
    world_.event("confirmed", {{"jid", world_.device_jid(session)}, {"id", c.id}, {"by", klass}});
    if (c.key_share) world_.login().on_confirmed(session, true);
  }
}

void Relay::on_receipt(Session& session, const wire::Node& receipt) {
  if (session.role != Session::Role::logged_in) return reject(session, "a receipt before login");
  std::string id(receipt.attr_or("id"));
  std::string to(receipt.attr_or("to"));
  std::string type(receipt.attr_or("type"));
  if (id.empty() || to.empty()) return reject(session, "a receipt without id or to");
  Node answer = ack("receipt", id, to);
  if (!type.empty()) answer.set_attr("type", type);
  session.connection->send(answer);

  std::vector<std::string> ids{id};
  if (const Node* list = receipt.child("list"))
    for (const Node* item : list->children("item")) ids.emplace_back(item->attr_or("id"));
  // A retry receipt asks for the message again: it confirms nothing.
  if (type != "retry")
    for (const auto& each : ids) confirm(session, "message", each, to);
  world_.event("receipt", {{"jid", world_.device_jid(session)}, {"id", id}, {"ids", ids}, {"to", to}, {"type", type}});

  // A retry receipt for what a simulated phone sent: that phone answers it
  // (retry.h). In a group the receipt names the group, the member is its participant.
  if (type == "retry") {
    auto author = wire::Jid::parse(receipt.attr("participant") ? receipt.attr_or("participant") : std::string_view(to));
    auto device = author ? world_.directory().device(*author) : Result<DeviceRef>(std::unexpected(author.error()));
    if (device && device->is_phone()) return world_.retries().on_retry_receipt(session, receipt, *device->account);
  }

  // Route it to the device that sent the message.
  auto to_jid = wire::Jid::parse(to);
  auto sender = to_jid ? world_.directory().device(*to_jid) : Result<DeviceRef>(std::unexpected(to_jid.error()));
  if (!sender || sender->is_phone()) return;
  Account* me = world_.directory().by_phone(session.device->phone);
  wire::Jid from = to_jid->is_lid() ? me->lid_jid(session.device->device) : me->pn_jid(session.device->device);
  Node routed("receipt", {{"from", from.to_string()}, {"id", id}, {"t", std::to_string(unix_now())}});
  for (const char* key : {"type", "recipient", "participant"})
    if (auto value = receipt.attr(key)) routed.set_attr(key, std::string(*value));
  if (!receipt.child_nodes().empty())
    routed.content = Node::Children(receipt.child_nodes().begin(), receipt.child_nodes().end());
  PendingStanza pending;
  pending.stanza = std::move(routed);
  pending.id = id;
  pending.from_user = me->phone;
  pending.confirm_class = "receipt";
  world_.deliver(DeviceId{sender->account->phone, sender->device}, std::move(pending));
}

void Relay::on_ack(Session& session, const wire::Node& node) {
  if (session.role != Session::Role::logged_in) return;
  std::string klass(node.attr_or("class"));
  std::string id(node.attr_or("id"));
  std::string to(node.attr_or("to"));
  if (klass == "message") {
    Json event = {{"jid", world_.device_jid(session)}, {"id", id}, {"to", to}};
    if (auto error = node.attr("error")) event["error"] = std::string(*error);
    world_.event("message_acked", std::move(event));
    confirm(session, "message", id, to);
  } else if (klass == "receipt") {
    confirm(session, "receipt", id, to);
  } else if (klass == "notification") {
    confirm(session, "notification", id, to);  // e.g. a group's w:gp2 <create>
  }
}

}  // namespace wacrm::wasim
