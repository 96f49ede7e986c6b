#include "wasim/simulated_people.h"

#include <openssl/rand.h>

#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "signal/padding.h"
#include "wa/e2e.pb.h"
#include "wasim/group_send.h"
#include "wasim/groups.h"
#include "wasim/phone_send.h"
#include "wasim/retry.h"
#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

using wire::Node;

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  RAND_bytes(out.data(), static_cast<int>(n));
  return out;
}

Result<std::string> required_string(const nlohmann::json& request, const char* key) {
  auto it = request.find(key);
  if (it == request.end() || !it->is_string() || it->get<std::string>().empty())
    return make_error(Errc::invalid_argument, std::string("'") + key + "' is required");
  return it->get<std::string>();
}

Result<wa::Message> message_from_request(const nlohmann::json& request) {
  wa::Message message;
  if (auto text = request.find("text"); text != request.end()) {
    if (!text->is_string()) return make_error(Errc::invalid_argument, "'text' must be a string");
    message.set_conversation(text->get<std::string>());
    return message;
  }
  auto body = request.find("message");
  if (body == request.end() || !body->is_object())
    return make_error(Errc::invalid_argument, "give 'text' or 'message' (a Message in protobuf JSON)");
  auto status = google::protobuf::util::JsonStringToMessage(body->dump(), &message);
  if (!status.ok()) return make_error(Errc::invalid_argument, "'message' is no Message: " + status.ToString());
  return message;
}

}  // namespace

Result<nlohmann::json> SimulatedPeople::send(const nlohmann::json& request) {
  if (!request.is_object()) return make_error(Errc::invalid_argument, "the request must be a JSON object");
  std::string from_phone = WACRM_TRY(required_string(request, "from"));
  bool peer = request.value("peer", false);
  std::string to_phone = peer ? request.value("to", from_phone) : WACRM_TRY(required_string(request, "to"));
  Account* from = world_.directory().by_phone(from_phone);
  if (!from) return make_error(Errc::not_found, "no account '" + from_phone + "'");
  if (!peer && to_phone.find('@') != std::string::npos) return send_group(request, *from, to_phone);
  Account* to = world_.directory().by_phone(to_phone);
  if (!to) return make_error(Errc::not_found, "no account '" + to_phone + "'");
  if (peer && to != from) return make_error(Errc::invalid_argument, "a peer message goes to the sender's own devices");
  wa::Message message = WACRM_TRY(message_from_request(request));
  std::string id = request.value("id", new_message_id());
  std::string type = request.value("type", "text");
  std::int64_t t = unix_now();
  std::vector<std::uint16_t> only;
  for (const auto& device : request.value("to_devices", nlohmann::json::array())) only.push_back(device.get<std::uint16_t>());
  auto wanted = [&](std::uint16_t device) { return only.empty() || std::find(only.begin(), only.end(), device) != only.end(); };

  // The deviceSentMessage copy for the sender's own companions (02 §1.3, §8.1).
  wa::Message own_copy;
  own_copy.mutable_device_sent_message()->set_destination_jid(to->pn_jid().to_string());
  *own_copy.mutable_device_sent_message()->mutable_message() = message;

  std::vector<Target> targets;
  if (peer) {
    for (auto& [device, companion] : from->companions)
      if (wanted(device)) targets.push_back({from, device, &message, false});
  } else {
    if (to != from)
      for (auto& [device, companion] : to->companions)
        if (wanted(device)) targets.push_back({to, device, &message, false});
    for (auto& [device, companion] : from->companions) targets.push_back({from, device, &own_copy, true});
  }
  nlohmann::json devices = nlohmann::json::array();
  std::string chat = to->pn_jid().to_string();
  const bool sender_lid = request.value("sender_lid", false);
  for (const Target& target : targets)
    devices.push_back(WACRM_TRY(send_to(*from, target, id, t, type, peer, chat, false, sender_lid)));
  if (!peer) world_.retries().remember(from->phone, id, {chat, message.SerializeAsString(), type, t});
  world_.event("simulated_send", {{"from", from_phone}, {"to", to_phone}, {"id", id}, {"devices", devices}});
  world_.mark_dirty();
  return nlohmann::json{{"id", id}, {"t", t}, {"devices", devices}};
}

Result<nlohmann::json> SimulatedPeople::send_to(Account& from, const Target& target, const std::string& id,
                                                std::int64_t t, const std::string& type, bool peer,
                                                const std::string& chat, bool key_share, bool sender_lid) {
  wire::Jid device_jid = target.owner->pn_jid(target.device);
  DeviceRef ref{target.owner, target.device};
  signal::Ciphertext ciphertext = WACRM_TRY(encrypt_for_device(world_, from, ref, *target.message));
  if (!key_share && world_.retries().take_corrupt(from.phone)) corrupt(ciphertext);

  Node stanza("message", {{"from", from.pn_jid().to_string()},
                          {"to", device_jid.to_string()},
                          {"id", id},
                          {"t", std::to_string(t)},
                          {"type", type}});
  if (sender_lid && !peer && !from.lid.empty()) stanza.set_attr("sender_lid", from.lid_jid().to_string());
  if (peer) stanza.set_attr("category", "peer");
  else if (!from.push_name.empty()) stanza.set_attr("notify", from.push_name);
  if (target.own_copy) stanza.set_attr("recipient", chat);
  std::string enc_type(signal::message_type_name(ciphertext.type));
  stanza.content = Node::Children{enc_node(std::move(ciphertext))};

  DeviceId device{target.owner->phone, target.device};
  PendingStanza pending;
  pending.stanza = std::move(stanza);
  pending.id = id;
  pending.from_user = from.phone;
  pending.confirm_class = "message";
  pending.key_share = key_share;
  world_.deliver(device, std::move(pending));
  Session* online = world_.online(device);
  return nlohmann::json{{"jid", device_jid.to_string()}, {"type", enc_type}, {"queued", !online || !online->active}};
}

Result<nlohmann::json> SimulatedPeople::send_group(const nlohmann::json& request, Account& from,
                                                   const std::string& to) {
  Group* group = world_.groups().find(to);
  if (!group) return make_error(Errc::not_found, "no group '" + to + "'");
  wa::Message message = WACRM_TRY(message_from_request(request));
  std::string id = request.value("id", new_message_id());
  std::string type = request.value("type", "text");
  std::int64_t t = unix_now();
  nlohmann::json sent = WACRM_TRY(send_to_group(world_, from, *group, message, id, type, t));
  world_.retries().remember(from.phone, id, {group->jid().to_string(), message.SerializeAsString(), type, t});
  world_.event("simulated_send", {{"from", from.phone}, {"to", group->jid().to_string()}, {"id", id}, {"devices", sent["devices"]}});
  world_.mark_dirty();
  return sent;
}

Status SimulatedPeople::send_key_share(Account& account, std::uint16_t device) {
  wa::Message message;
  auto* protocol = message.mutable_protocol_message();
  protocol->set_type(wa::ProtocolMessage::APP_STATE_SYNC_KEY_SHARE);
  auto* key = protocol->mutable_app_state_sync_key_share()->add_keys();
  Bytes key_id = random_bytes(6), key_data = random_bytes(32);
  key->mutable_key_id()->set_key_id(key_id.data(), key_id.size());
  auto* data = key->mutable_key_data();
  data->set_key_data(key_data.data(), key_data.size());
  data->mutable_fingerprint()->set_raw_id(account.phone_keys.adv_raw_id);
  data->mutable_fingerprint()->set_current_index(0);
  data->mutable_fingerprint()->add_device_indexes(0);
  data->set_timestamp(unix_now() * 1000);
  std::string id = new_message_id();
  auto sent = send_to(account, Target{&account, device, &message, false}, id, unix_now(), "text", true,
                      account.pn_jid().to_string(), true);
  if (!sent) return std::unexpected(sent.error());
  world_.event("key_share_sent", {{"jid", account.pn_jid(device).to_string()}, {"id", id}});
  return {};
}

Result<nlohmann::json> SimulatedPeople::play(const std::string& name) {
  for (std::size_t i = 0; i < conversations_.size(); ++i) {
    if (conversations_[i].name != name) continue;
    play_from(i, 0);
    return nlohmann::json{{"conversation", name}, {"messages", conversations_[i].messages.size()}};
  }
  return make_error(Errc::not_found, "no conversation '" + name + "'");
}

void SimulatedPeople::on_device_ready(const DeviceId& device) {
  for (std::size_t i = 0; i < conversations_.size(); ++i) {
    Conversation& c = conversations_[i];
    if (c.trigger != Conversation::Trigger::on_first_login || c.to != device.phone || c.played) continue;
    c.played = true;
    play_from(i, 0);
  }
}

void SimulatedPeople::play_from(std::size_t conversation, std::size_t index) {
  const Conversation& c = conversations_[conversation];
  if (index >= c.messages.size()) return;
  auto timer = std::make_shared<boost::asio::steady_timer>(world_.io(), std::chrono::milliseconds(c.messages[index].delay_ms));
  timer->async_wait([this, timer, conversation, index](boost::system::error_code ec) {
    if (ec) return;
    const Conversation& c = conversations_[conversation];
    if (auto sent = send(c.messages[index].send); !sent)
      spdlog::warn("Failed to play message {} of conversation '{}': {}", index + 1, c.name, sent.error().to_string());
    play_from(conversation, index + 1);
  });
}

}  // namespace wacrm::wasim
