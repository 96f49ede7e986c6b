#include "wasim/account_json.h"

namespace wacrm::wasim {

namespace {

Json signed_pre_key_json(const SignedPreKeyPublic& key) {
  return {{"id", key.id}, {"public", to_hex(key.public_key)}, {"signature", to_hex(key.signature)}};
}

Result<SignedPreKeyPublic> signed_pre_key_from(const Json& json) {
  SignedPreKeyPublic key;
  key.id = json.value("id", 0u);
  key.public_key = WACRM_TRY(hex_field(json, "public"));
  key.signature = WACRM_TRY(hex_field(json, "signature"));
  return key;
}

Json companion_to_state(const Companion& c) {
  Json pre_keys = Json::object();
  for (const auto& [id, key] : c.pre_keys) pre_keys[std::to_string(id)] = to_hex(key);
  return {{"device", c.device},
          {"key_index", c.key_index},
          {"registration_id", c.registration_id},
          {"identity_key", to_hex(c.identity_key)},
          {"noise_key", to_hex(c.noise_key)},
          {"adv_identity", to_hex(c.adv_identity)},
          {"platform", c.platform},
          {"signed_pre_key", signed_pre_key_json(c.signed_pre_key)},
          {"pre_keys", std::move(pre_keys)},
          {"uploaded_pre_keys", c.uploaded_pre_keys},
          {"key_share_sent", c.key_share_sent},
          {"paired_at", c.paired_at}};
}

Result<Companion> companion_from_state(const Json& json) {
  Companion c;
  c.device = json.at("device").get<std::uint16_t>();
  c.key_index = json.value("key_index", 0u);
  c.registration_id = json.value("registration_id", 0u);
  c.identity_key = WACRM_TRY(hex_field(json, "identity_key", 32));
  c.noise_key = WACRM_TRY(hex_field(json, "noise_key", 32));
  c.adv_identity = WACRM_TRY(hex_field(json, "adv_identity"));
  c.platform = json.value("platform", "");
  c.signed_pre_key = WACRM_TRY(signed_pre_key_from(json.at("signed_pre_key")));
  const Json pre_keys = json.value("pre_keys", Json::object());
  for (const auto& [id, value] : pre_keys.items()) {
    Bytes key;
    if (!from_hex(value.get<std::string>(), key) || key.size() != 32)
      return make_error(Errc::malformed, "pre-key " + id + " is not 32 bytes of hex");
    c.pre_keys[static_cast<std::uint32_t>(std::stoul(id))] = std::move(key);
  }
  c.uploaded_pre_keys = json.value("uploaded_pre_keys", false);
  c.key_share_sent = json.value("key_share_sent", false);
  c.paired_at = json.value("paired_at", std::int64_t{0});
  return c;
}

}  // namespace

Result<Bytes> hex_field(const Json& object, const char* key, std::size_t expected_size) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return make_error(Errc::malformed, std::string("'") + key + "' is missing");
  Bytes out;
  if (!from_hex(it->get<std::string>(), out)) return make_error(Errc::malformed, std::string("'") + key + "' is not hex");
  if (expected_size && out.size() != expected_size)
    return make_error(Errc::malformed, std::string("'") + key + "' is not " + std::to_string(expected_size) + " bytes");
  return out;
}

Json account_to_state(const Account& a) {
  const auto& id = a.phone_keys.identity;
  Json phone_pre_keys = Json::array();
  for (const auto& [key_id, pre_key] : a.phone_keys.pre_keys)
    phone_pre_keys.push_back({{"id", key_id},
                              {"public", to_hex(pre_key.key.key.public_key)},
                              {"private", to_hex(pre_key.key.key.private_key)},
                              {"handed_out", pre_key.handed_out}});
  Json companions = Json::array();
  for (const auto& [device, companion] : a.companions) companions.push_back(companion_to_state(companion));
  Json contacts = Json::array();
  for (const auto& contact : a.contacts) contacts.push_back({{"phone", contact.phone}, {"name", contact.name}});
  Json sessions = Json::array();
  for (const auto& session : a.phone_sessions)
    sessions.push_back({{"name", session.name},
                        {"device", session.device},
                        {"record", to_hex(session.record)},
                        {"identity", to_hex(session.identity)}});
  return {{"phone", a.phone},
          {"lid", a.lid},
          {"push_name", a.push_name},
          {"business_name", a.business_name},
          {"contacts", std::move(contacts)},
          {"phone_keys",
           {{"identity_public", to_hex(id.identity_public)},
            {"identity_private", to_hex(id.identity_private)},
            {"registration_id", id.registration_id},
            {"signed_pre_key_id", id.signed_pre_key_id},
            {"signed_pre_key_public", to_hex(id.signed_pre_key_public)},
            {"signed_pre_key_private", to_hex(id.signed_pre_key_private)},
            {"signed_pre_key_signature", to_hex(id.signed_pre_key_signature)},
            {"next_pre_key_id", a.phone_keys.next_pre_key_id},
            {"adv_raw_id", a.phone_keys.adv_raw_id},
            {"pre_keys", std::move(phone_pre_keys)}}},
          {"companions", std::move(companions)},
          {"phone_sessions", std::move(sessions)},
          {"next_device", a.next_device},
          {"next_key_index", a.next_key_index}};
}

Result<Account> account_from_state(const Json& json) try {
  Account a;
  a.phone = json.at("phone").get<std::string>();
  a.lid = json.at("lid").get<std::string>();
  a.push_name = json.value("push_name", "");
  a.business_name = json.value("business_name", "");
  for (const auto& contact : json.value("contacts", Json::array()))
    a.contacts.push_back({contact.at("phone").get<std::string>(), contact.value("name", "")});
  const Json& keys = json.at("phone_keys");
  auto& id = a.phone_keys.identity;
  id.identity_public = WACRM_TRY(hex_field(keys, "identity_public", 32));
  id.identity_private = WACRM_TRY(hex_field(keys, "identity_private", 32));
  id.registration_id = keys.at("registration_id").get<std::uint32_t>();
  id.signed_pre_key_id = keys.at("signed_pre_key_id").get<std::uint32_t>();
  id.signed_pre_key_public = WACRM_TRY(hex_field(keys, "signed_pre_key_public", 32));
  id.signed_pre_key_private = WACRM_TRY(hex_field(keys, "signed_pre_key_private", 32));
  id.signed_pre_key_signature = WACRM_TRY(hex_field(keys, "signed_pre_key_signature", 64));
  a.phone_keys.next_pre_key_id = keys.value("next_pre_key_id", 1u);
  a.phone_keys.adv_raw_id = keys.value("adv_raw_id", 0u);
  for (const auto& entry : keys.value("pre_keys", Json::array())) {
    PhonePreKey pre_key;
    pre_key.key.id = entry.at("id").get<std::uint32_t>();
    pre_key.key.key.public_key = WACRM_TRY(hex_field(entry, "public", 32));
    pre_key.key.key.private_key = WACRM_TRY(hex_field(entry, "private", 32));
    pre_key.handed_out = entry.value("handed_out", false);
    a.phone_keys.pre_keys[pre_key.key.id] = std::move(pre_key);
  }
  for (const auto& entry : json.value("companions", Json::array())) {
    Companion companion = WACRM_TRY(companion_from_state(entry));
    a.companions[companion.device] = std::move(companion);
  }
  for (const auto& entry : json.value("phone_sessions", Json::array())) {
    PhoneSession session;
    session.name = entry.at("name").get<std::string>();
    session.device = entry.at("device").get<std::int32_t>();
    session.record = WACRM_TRY(hex_field(entry, "record"));
    session.identity = WACRM_TRY(hex_field(entry, "identity"));
    a.phone_sessions.push_back(std::move(session));
  }
  a.next_device = json.value("next_device", std::uint16_t{1});
  a.next_key_index = json.value("next_key_index", 1u);
  return a;
} catch (const Json::exception& e) {
  return make_error(Errc::malformed, std::string("account entry: ") + e.what());
}

Json companion_public_view(const Account& account, const Companion& c) {
  return {{"device", c.device},
          {"jid", account.pn_jid(c.device).to_string()},
          {"lid_jid", account.lid_jid(c.device).to_string()},
          {"key_index", c.key_index},
          {"registration_id", c.registration_id},
          {"identity_key", to_hex(c.identity_key)},
          {"noise_key", to_hex(c.noise_key)},
          {"platform", c.platform},
          {"pre_keys", c.pre_keys.size()},
          {"signed_pre_key_id", c.signed_pre_key.id},
          {"paired_at", c.paired_at}};
}

Json account_public_view(const Account& a) {
  Json contacts = Json::array();
  for (const auto& contact : a.contacts) contacts.push_back({{"phone", contact.phone}, {"name", contact.name}});
  Json companions = Json::array();
  for (const auto& [device, companion] : a.companions) companions.push_back(companion_public_view(a, companion));
  std::size_t available = 0;
  for (const auto& [id, key] : a.phone_keys.pre_keys) available += key.handed_out ? 0 : 1;
  return {{"phone", a.phone},
          {"jid", a.pn_jid().to_string()},
          {"lid", a.lid_jid().to_string()},
          {"push_name", a.push_name},
          {"business_name", a.business_name},
          {"contacts", std::move(contacts)},
          {"phone_identity_key", to_hex(a.phone_keys.identity.identity_public)},
          {"phone_registration_id", a.phone_keys.identity.registration_id},
          {"phone_pre_keys", available},
          {"companions", std::move(companions)}};
}

}  // namespace wacrm::wasim
