#include "wasim/retry.h"

#include "signal/padding.h"
#include "wa/e2e.pb.h"
#include "wasim/group_send.h"
#include "wasim/groups.h"
#include "wasim/phone_send.h"
#include "wasim/prekeys.h"
#include "wasim/simulated_phone.h"
#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

std::unexpected<Error> malformed(std::string what) { return make_error(Errc::malformed, std::move(what)); }

int retry_count(const wire::Node& receipt) {
  const wire::Node* retry = receipt.child("retry");
  if (!retry) return 1;
  try {
    return std::stoi(std::string(retry->attr_or("count", "1")));
  } catch (const std::exception&) {
    return 1;
  }
}

}  // namespace

Result<signal::PreKeyBundle> bundle_from_retry_receipt(const wire::Node& receipt, int device) {
  const wire::Node* keys = receipt.child("keys");
  if (!keys) return malformed("no <keys>");
  signal::PreKeyBundle bundle;
  bundle.device_id = device;
  if (!read_be(receipt.child("registration"), 4, bundle.registration_id)) return malformed("no 4-byte <registration>");
  const Bytes* identity = child_bytes(*keys, "identity");
  if (!identity || identity->size() != 32) return malformed("<identity> is not 32 bytes");
  bundle.identity_key = *identity;
  if (const wire::Node* key = keys->child("key")) {
    auto [id, value] = WACRM_TRY(parse_key_node(*key, false, nullptr));
    bundle.pre_key = signal::PreKeyPublic{id, std::move(value)};
  }
  const wire::Node* skey = keys->child("skey");
  if (!skey) return malformed("no <skey>");
  Bytes signature;
  auto [id, value] = WACRM_TRY(parse_key_node(*skey, true, &signature));
  bundle.signed_pre_key = {id, std::move(value), std::move(signature)};
  return bundle;
}

void Retries::remember(const std::string& from_phone, const std::string& id, SentMessage message) {
  auto key = std::make_pair(from_phone, id);
  if (recent_.insert_or_assign(key, std::move(message)).second) order_.push_back(key);
  while (order_.size() > kRemembered) {
    recent_.erase(order_.front());
    order_.pop_front();
  }
}

Result<nlohmann::json> Retries::corrupt_next(const nlohmann::json& request) {
  std::string phone = request.is_object() ? request.value("phone", "") : "";
  if (!world_.directory().by_phone(phone)) return make_error(Errc::not_found, "no account '" + phone + "'");
  int times = request.value("times", 1);
  if (times < 1) return make_error(Errc::invalid_argument, "'times' must be at least 1");
  corrupt_next_[phone] = times;
  world_.event("fault_armed", {{"fault", "corrupt_next"}, {"phone", phone}, {"times", times}});
  return nlohmann::json{{"phone", phone}, {"remaining", times}};
}

bool Retries::take_corrupt(const std::string& phone) {
  auto it = corrupt_next_.find(phone);
  if (it == corrupt_next_.end()) return false;
  if (--it->second == 0) corrupt_next_.erase(it);
  return true;
}

void Retries::on_retry_receipt(Session& session, const wire::Node& receipt, Account& sender) {
  std::string id(receipt.attr_or("id"));
  int count = retry_count(receipt);
  nlohmann::json event = {{"phone", sender.phone}, {"by", world_.device_jid(session)}, {"id", id}, {"count", count}};
  auto found = recent_.find({sender.phone, id});
  Status done = found == recent_.end() ? Status(make_error(Errc::not_found, "not a message this phone sent lately"))
                : count > kMaxRetries  ? Status(make_error(Errc::invalid_argument, "past the retry limit"))
                                       : resend(session, receipt, sender, found->second, count, event);
  if (!done) {
    event["error"] = done.error().message;
    world_.event("retry_unanswered", std::move(event));
    return;
  }
  world_.event("retry_resent", std::move(event));
  world_.mark_dirty();
}

Status Retries::resend(Session& session, const wire::Node& receipt, Account& sender, const SentMessage& sent,
                       int count, nlohmann::json& event) {
  Account* owner = world_.directory().by_phone(session.device->phone);
  if (!owner) return make_error(Errc::not_found, "the asking device's account is gone");
  DeviceRef device{owner, session.device->device};
  wire::Jid device_jid = owner->pn_jid(device.device);
  wa::Message message;
  if (!message.ParseFromString(sent.plaintext)) return make_error(Errc::internal, "the remembered message does not parse");
  Group* group = world_.groups().find(sent.chat);
  if (group) {
    message = WACRM_TRY(with_sender_key(world_, sender, *group, std::move(message)));
  } else if (owner == &sender) {
    // The sender's own companion gets its deviceSentMessage copy again.
    wa::Message own;
    own.mutable_device_sent_message()->set_destination_jid(sent.chat);
    *own.mutable_device_sent_message()->mutable_message() = std::move(message);
    message = std::move(own);
  }
  // With <keys> the phone starts over from them, as the receipt asks.
  bool fresh = receipt.child("keys") != nullptr;
  if (fresh) {
    auto bundle = WACRM_TRY(bundle_from_retry_receipt(receipt, device.device));
    auto address = WACRM_TRY(address_of(device_jid));
    WACRM_TRY(world_.phone(sender).start_session(address, bundle));
  }
  signal::Ciphertext ciphertext = WACRM_TRY(encrypt_for_device(world_, sender, device, message));
  if (take_corrupt(sender.phone)) {
    corrupt(ciphertext);
    event["corrupted"] = true;
  }
  std::string enc_type(signal::message_type_name(ciphertext.type));
  wire::Node enc = enc_node(std::move(ciphertext));
  enc.set_attr("count", std::to_string(count));

  wire::Node stanza("message", {{"to", device_jid.to_string()}, {"id", std::string(receipt.attr_or("id"))},
                                {"t", std::to_string(sent.t)}, {"type", sent.type}});
  if (group) {
    stanza.set_attr("from", sent.chat);
    stanza.set_attr("participant", sender.pn_jid().to_string());
  } else {
    stanza.set_attr("from", sender.pn_jid().to_string());
    if (owner == &sender) stanza.set_attr("recipient", sent.chat);
  }
  if (!sender.push_name.empty()) stanza.set_attr("notify", sender.push_name);
  stanza.content = wire::Node::Children{std::move(enc)};
  queue_message(world_, DeviceId{owner->phone, device.device}, std::move(stanza), std::string(receipt.attr_or("id")),
                group ? group->id : sender.phone);
  event["type"] = enc_type;
  event["fresh_session"] = fresh;
  return {};
}

}  // namespace wacrm::wasim
