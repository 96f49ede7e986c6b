#include "wa/client_payload.h"

#include <openssl/evp.h>

#include "signal/keys.h"
#include "wa/client_payload.pb.h"
#include "wa/credentials.h"

namespace wacrm::wa {

namespace {

using proto = wacrm::wa::ClientPayload;

std::string as_string(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

Bytes serialize(const google::protobuf::MessageLite& message) {
  std::string out;
  message.SerializeToString(&out);
  return Bytes(out.begin(), out.end());
}

// The fields both payloads share (§3.1, §3.2). Zero-valued enums are set
// explicitly so they appear on the wire, as both reference clients do.
void fill_common(proto& p, const ClientConfig& config) {
  auto* agent = p.mutable_user_agent();
  agent->set_platform(proto::UserAgent::WEB);
  auto* version = agent->mutable_app_version();
  version->set_primary(config.version.primary);
  version->set_secondary(config.version.secondary);
  version->set_tertiary(config.version.tertiary);
  agent->set_mcc("000");
  agent->set_mnc("000");
  agent->set_os_version("0.1");
  agent->set_device("Desktop");
  agent->set_os_build_number("0.1");
  agent->set_release_channel(proto::UserAgent::RELEASE);
  agent->set_locale_language_iso_639_1("en");
  agent->set_locale_country_iso_3166_1_alpha_2("US");
  p.mutable_web_info()->set_web_sub_platform(proto::WebInfo::WEB_BROWSER);
  p.set_connect_type(proto::WIFI_UNKNOWN);
  p.set_connect_reason(proto::USER_ACTIVATED);
}

// How the phone will label us (§3.3): our name as the "OS" and a browser
// platform; history-sync capabilities as Baileys master announces them.
Bytes device_props(const ClientConfig& config) {
  DeviceProps props;
  props.set_os(config.device_name);
  auto* version = props.mutable_version();
  version->set_primary(0);
  version->set_secondary(1);
  version->set_tertiary(0);
  props.set_platform_type(static_cast<DeviceProps::PlatformType>(config.platform));
  props.set_require_full_sync(false);
  auto* history = props.mutable_history_sync_config();
  history->set_storage_quota_mb(10240);
  history->set_inline_initial_payload_in_e2ee_msg(true);
  history->set_support_call_log_history(false);
  history->set_support_bot_user_agent_chat_history(true);
  history->set_support_cag_reactions_and_polls(true);
  history->set_support_biz_hosted_msg(true);
  history->set_support_recent_sync_chunk_message_count_tuning(true);
  history->set_support_hosted_group_msg(true);
  history->set_support_fbid_bot_chat_history(true);
  history->set_support_message_association(true);
  history->set_support_group_history(false);
  history->set_thumbnail_sync_days_limit(60);
  return serialize(props);
}

}  // namespace

Bytes big_endian(std::uint32_t value, std::size_t width) {
  Bytes out(width);
  for (std::size_t i = 0; i < width; ++i) out[width - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  return out;
}

Bytes build_hash(const AppVersion& version) {
  std::string text = version.to_string();
  Bytes digest(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_md5(), nullptr);
  digest.resize(size);
  return digest;
}

Result<Bytes> registration_payload(const store::DeviceCredentials& c, const ClientConfig& config) {
  const auto& id = c.identity;
  if (id.identity_public.size() != signal::kKeySize || id.signed_pre_key_public.size() != signal::kKeySize ||
      id.signed_pre_key_signature.size() != signal::kSignatureSize)
    return make_error(Errc::invalid_argument, "the device credentials are incomplete (key sizes)");
  proto p;
  fill_common(p, config);
  p.set_passive(false);
  p.set_pull(false);
  auto* pairing = p.mutable_device_pairing_data();
  pairing->set_e_regid(as_string(big_endian(id.registration_id, 4)));
  pairing->set_e_keytype(std::string(1, static_cast<char>(signal::kDjbKeyType)));
  pairing->set_e_ident(as_string(id.identity_public));
  pairing->set_e_skey_id(as_string(big_endian(id.signed_pre_key_id, 3)));
  pairing->set_e_skey_val(as_string(id.signed_pre_key_public));
  pairing->set_e_skey_sig(as_string(id.signed_pre_key_signature));
  pairing->set_build_hash(as_string(build_hash(config.version)));
  pairing->set_device_props(as_string(device_props(config)));
  return serialize(p);
}

Result<Bytes> login_payload(const store::DeviceCredentials& c, const ClientConfig& config) {
  wire::Jid jid = WACRM_TRY(own_device_jid(c));
  std::uint64_t username = 0;
  for (char ch : jid.user()) {
    if (ch < '0' || ch > '9')
      return make_error(Errc::malformed, "own JID '" + jid.to_string() + "' has a non-numeric user part");
    username = username * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  proto p;
  fill_common(p, config);
  p.set_username(username);
  p.set_passive(true);
  p.set_pull(true);
  p.set_device(jid.device());
  if (config.send_lc) p.set_lc(1);
  if (config.lid_db_migrated) p.set_lid_db_migrated(true);
  return serialize(p);
}

Result<Bytes> client_payload(const store::DeviceCredentials& credentials, const ClientConfig& config) {
  return credentials.linked ? login_payload(credentials, config) : registration_payload(credentials, config);
}

}  // namespace wacrm::wa
