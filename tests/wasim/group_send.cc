#include "wasim/group_send.h"

#include "signal/padding.h"
#include "wa/e2e.pb.h"
#include "wasim/phone_send.h"
#include "wasim/retry.h"
#include "wasim/simulated_phone.h"
#include "wasim/world.h"

namespace wacrm::wasim {

Result<wa::Message> with_sender_key(World& world, Account& from, const Group& group, wa::Message message) {
  std::string group_jid = group.jid().to_string();
  Bytes skdm = WACRM_TRY(world.phone(from).sender_key_distribution(group_jid));
  auto* distribution = message.mutable_sender_key_distribution_message();
  distribution->set_group_id(group_jid);
  distribution->set_axolotl_sender_key_distribution_message(skdm.data(), skdm.size());
  return message;
}

Result<nlohmann::json> send_to_group(World& world, Account& from, Group& group, const wa::Message& message,
                                     const std::string& id, const std::string& type, std::int64_t t) {
  if (!group.has_member(from.phone))
    return make_error(Errc::invalid_argument, "'" + from.phone + "' is not a member of '" + group.jid().to_string() + "'");
  const std::string group_jid = group.jid().to_string();
  // The SKDM alone, for the devices that have not got it yet (made first:
  // it creates the sender key on the group's first message).
  wa::Message distribution = WACRM_TRY(with_sender_key(world, from, group, wa::Message()));
  // The content once, under the sender key.
  std::string plaintext;
  message.SerializeToString(&plaintext);
  Bytes padded = WACRM_TRY(signal::add_padding(as_bytes(plaintext)));
  signal::Ciphertext skmsg{signal::MessageType::skmsg, WACRM_TRY(world.phone(from).group_encrypt(group_jid, padded))};
  if (world.retries().take_corrupt(from.phone)) corrupt(skmsg);

  std::set<std::string>& holders = group.key_holders[from.phone];
  nlohmann::json devices = nlohmann::json::array();
  for (const std::string& phone : group.participants) {
    Account* member = world.directory().by_phone(phone);
    if (!member) continue;  // an account removed since
    for (auto& [device, companion] : member->companions) {
      std::string device_jid = member->pn_jid(device).to_string();
      wire::Node::Children encs;
      nlohmann::json types = nlohmann::json::array();
      if (!holders.contains(device_jid)) {
        auto ciphertext = WACRM_TRY(encrypt_for_device(world, from, DeviceRef{member, device}, distribution));
        types.push_back(std::string(signal::message_type_name(ciphertext.type)));
        encs.push_back(enc_node(std::move(ciphertext)));
        holders.insert(device_jid);
      }
      types.push_back("skmsg");
      encs.push_back(enc_node(skmsg));
      wire::Node stanza("message", {{"from", group_jid},
                                    {"participant", from.pn_jid().to_string()},
                                    {"to", device_jid},
                                    {"id", id},
                                    {"t", std::to_string(t)},
                                    {"type", type},
                                    {"addressing_mode", "pn"}});
      if (!from.push_name.empty()) stanza.set_attr("notify", from.push_name);
      stanza.content = std::move(encs);
      DeviceId target{member->phone, device};
      queue_message(world, target, std::move(stanza), id, group.id);
      Session* online = world.online(target);
      devices.push_back({{"jid", device_jid}, {"types", types}, {"queued", !online || !online->active}});
    }
  }
  return nlohmann::json{{"id", id}, {"t", t}, {"group", group_jid}, {"devices", devices}};
}

}  // namespace wacrm::wasim
