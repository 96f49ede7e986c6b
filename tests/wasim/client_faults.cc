#include "wasim/client_faults.h"

#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

constexpr std::size_t kDefaultLowCount = 2;

// The companion a request's "jid" names.
Result<DeviceRef> companion_of(World& world, const nlohmann::json& request) {
  if (!request.is_object() || !request.contains("jid") || !request["jid"].is_string())
    return make_error(Errc::invalid_argument, "give 'jid' (a device JID)");
  auto jid = WACRM_TRY(wire::Jid::parse(request["jid"].get<std::string>()));
  auto device = world.directory().device(jid);
  if (!device || device->is_phone()) return make_error(Errc::not_found, "'" + jid.to_string() + "' is no linked device");
  return *device;
}

// <notification type="encrypt" from="@s.whatsapp.net" id t><count value="N"/></notification>
// (notes 01 §7.3, 02 §2.9; Baileys reacts only when `from` is the server JID).
void notify_count(World& world, Session& session, std::size_t count) {
  session.connection->send(Node("notification",
                                {{"type", "encrypt"},
                                 {"from", server_jid()},
                                 {"id", world.new_stanza_id()},
                                 {"t", std::to_string(unix_now())}},
                                Node::Children{Node("count", {{"value", std::to_string(count)}})}));
}

}  // namespace

Result<nlohmann::json> silence_device(World& world, const nlohmann::json& request) {
  DeviceRef device = WACRM_TRY(companion_of(world, request));
  Session* session = world.online(DeviceId{device.account->phone, device.device});
  if (!session) return nlohmann::json{{"silenced", 0}};
  session->connection->silence();
  world.event("silenced", {{"connection", session->id}, {"jid", world.device_jid(*session)}});
  return nlohmann::json{{"silenced", 1}};
}

Result<nlohmann::json> pre_keys_low(World& world, const nlohmann::json& request) {
  DeviceRef device = WACRM_TRY(companion_of(world, request));
  auto count = request.value("count", kDefaultLowCount);
  Companion& companion = *device.companion();
  std::size_t discarded = 0;
  while (companion.pre_keys.size() > count) {
    companion.pre_keys.erase(companion.pre_keys.begin());
    ++discarded;
  }
  world.mark_dirty();
  std::string jid = device.account->pn_jid(device.device).to_string();
  Session* session = world.online(DeviceId{device.account->phone, device.device});
  if (session) notify_count(world, *session, companion.pre_keys.size());
  world.event("prekeys_low", {{"jid", jid},
                              {"count", companion.pre_keys.size()},
                              {"discarded", discarded},
                              {"notified", session != nullptr},
                              {"automatic", false}});
  return nlohmann::json{{"jid", jid}, {"count", companion.pre_keys.size()}, {"discarded", discarded},
                        {"notified", session != nullptr}};
}

Result<nlohmann::json> fail_login(World& world, const nlohmann::json& request) {
  WACRM_TRY(world.faults().arm_login_failure(request));
  return world.faults().to_json();
}

void after_pre_key_taken(World& world, const DeviceRef& device) {
  Companion* companion = device.companion();
  if (!companion || companion->pre_keys.size() + 1 != kPreKeysLow) return;
  Session* session = world.online(DeviceId{device.account->phone, device.device});
  if (!session) return;  // it asks for the count at its next login anyway
  notify_count(world, *session, companion->pre_keys.size());
  world.event("prekeys_low", {{"jid", device.account->pn_jid(device.device).to_string()},
                              {"count", companion->pre_keys.size()},
                              {"discarded", 0},
                              {"notified", true},
                              {"automatic", true}});
}

}  // namespace wacrm::wasim
