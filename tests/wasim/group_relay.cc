#include "wasim/group_relay.h"

#include <map>

#include "wasim/participant_hash.h"
#include "wasim/phone_send.h"
#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

// Attributes of the sender's <message> the members see unchanged.
constexpr const char* kCopiedAttrs[] = {"type", "edit", "category", "push_priority", "addressing_mode"};

void refuse(World& world, Session& session, const std::string& id, const Group& group, const char* code,
            const std::string& reason) {
  Node refusal = ack("message", id, group.jid().to_string());
  refusal.set_attr("t", std::to_string(unix_now()));
  refusal.set_attr("error", code);
  session.connection->send(refusal);
  world.event("message_refused",
              {{"from", world.device_jid(session)}, {"to", group.jid().to_string()}, {"id", id}, {"reason", reason}});
}

}  // namespace

void relay_group_message(World& world, Session& session, const wire::Node& message, Group& group) {
  std::string id(message.attr_or("id"));
  Account* sender = world.directory().by_phone(session.device->phone);
  if (!group.has_member(sender->phone)) return refuse(world, session, id, group, "403", "not a member");
  const Node* skmsg = nullptr;
  for (const Node* enc : message.children("enc"))
    if (enc->attr_or("type") == "skmsg") skmsg = enc;
  if (!skmsg) return refuse(world, session, id, group, "400", "no skmsg");

  // Each device's own <enc>s (the SKDM), by device JID as the member devices are named below.
  std::map<std::string, std::vector<const Node*>> own_encs;
  if (const Node* participants = message.child("participants"))
    for (const Node& to : participants->child_nodes())
      if (auto jid = to.attr_jid("jid"); to.tag == "to" && jid)
        if (auto device = world.directory().device(*jid))
          own_encs[device->account->pn_jid(device->device).to_string()] = to.children("enc");

  std::vector<wire::Jid> member_devices;
  for (const std::string& phone : group.participants)
    if (Account* member = world.directory().by_phone(phone)) {
      member_devices.push_back(member->pn_jid());
      for (const auto& [device, companion] : member->companions) member_devices.push_back(member->pn_jid(device));
    }
  std::string t = std::to_string(unix_now());
  Node server_ack = ack("message", id, group.jid().to_string());
  server_ack.set_attr("t", t);
  server_ack.set_attr("phash", participant_hash(member_devices));
  session.connection->send(server_ack);

  const std::string sender_device = sender->pn_jid(session.device->device).to_string();
  const Node* device_identity = message.child("device-identity");
  Json delivered = Json::array();
  for (const wire::Jid& target : member_devices) {
    if (target.device() == 0 || target.to_string() == sender_device) continue;
    Node stanza("message", {{"from", group.jid().to_string()}, {"participant", sender_device}, {"to", target.to_string()},
                            {"id", id}, {"t", t}});
    for (const char* key : kCopiedAttrs)
      if (auto value = message.attr(key)) stanza.set_attr(key, std::string(*value));
    if (!sender->push_name.empty()) stanza.set_attr("notify", sender->push_name);
    Node::Children children;
    if (auto it = own_encs.find(target.to_string()); it != own_encs.end())
      for (const Node* enc : it->second) children.push_back(*enc);
    children.push_back(*skmsg);
    if (device_identity && children.size() > 1) children.push_back(*device_identity);
    stanza.content = std::move(children);
    Account* owner = world.directory().account_of(target);
    queue_message(world, DeviceId{owner->phone, target.device()}, std::move(stanza), id, group.id);
    delivered.push_back(target.to_string());
  }
  world.event("message_sent", {{"from", sender_device},
                               {"to", group.jid().to_string()},
                               {"id", id},
                               {"type", std::string(message.attr_or("type"))},
                               {"targets", delivered},
                               {"skipped", Json::array()}});
}

}  // namespace wacrm::wasim
