#include "wasim/client_payload_check.h"

#include "signal/xeddsa.h"
#include "wa/client_payload.pb.h"

namespace wacrm::wasim {

namespace {

constexpr int kBadRequest = 400;
constexpr int kLoggedOut = 401;
constexpr int kClientOutdated = 405;
constexpr int kBadUserAgent = 409;

PayloadDecision refuse(int reason, std::string why) {
  PayloadDecision d;
  d.kind = PayloadDecision::Kind::refuse;
  d.failure_reason = reason;
  d.why = std::move(why);
  return d;
}

std::uint32_t be_value(const std::string& bytes) {
  std::uint32_t v = 0;
  for (unsigned char b : bytes) v = (v << 8) | b;
  return v;
}

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::string platform_of(const std::string& device_props) {
  wa::DeviceProps props;
  if (device_props.empty() || !props.ParseFromString(device_props)) return "";
  std::string platform = props.os();
  if (props.has_platform_type()) platform += "/" + wa::DeviceProps::PlatformType_Name(props.platform_type());
  return platform;
}

PayloadDecision check_registration(const wa::ClientPayload::DevicePairingRegistrationData& data,
                                   const noise::PublicKey& client_static) {
  if (data.e_regid().size() != 4) return refuse(kBadRequest, "eRegid is not 4 bytes");
  if (data.e_keytype() != std::string(1, '\x05')) return refuse(kBadRequest, "eKeytype is not 05");
  if (data.e_ident().size() != 32) return refuse(kBadRequest, "eIdent is not 32 bytes");
  if (data.e_skey_id().size() != 3) return refuse(kBadRequest, "eSkeyId is not 3 bytes");
  if (data.e_skey_val().size() != 32) return refuse(kBadRequest, "eSkeyVal is not 32 bytes");
  if (data.e_skey_sig().size() != 64) return refuse(kBadRequest, "eSkeySig is not 64 bytes");
  Bytes signed_data{0x05};
  signed_data.insert(signed_data.end(), data.e_skey_val().begin(), data.e_skey_val().end());
  if (!signal::xeddsa_verify(as_bytes(data.e_ident()), signed_data, as_bytes(data.e_skey_sig())))
    return refuse(kBadRequest, "the signed pre-key signature does not verify");
  PayloadDecision d;
  d.kind = PayloadDecision::Kind::registration;
  auto& r = d.registration;
  r.identity_key = to_bytes(data.e_ident());
  r.registration_id = be_value(data.e_regid());
  r.signed_pre_key = {be_value(data.e_skey_id()), to_bytes(data.e_skey_val()), to_bytes(data.e_skey_sig())};
  r.noise_key = Bytes(client_static.begin(), client_static.end());
  r.platform = platform_of(data.device_props());
  return d;
}

}  // namespace

PayloadDecision check_client_payload(ByteView payload, const noise::PublicKey& client_static,
                                     const AppVersion& min_version, Directory& directory) {
  wa::ClientPayload p;
  if (!p.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return refuse(kBadRequest, "the ClientPayload does not parse");
  if (!p.has_user_agent() || !p.user_agent().has_app_version())
    return refuse(kBadUserAgent, "the ClientPayload has no user agent version");
  const auto& v = p.user_agent().app_version();
  AppVersion version{v.primary(), v.secondary(), v.tertiary()};
  if (older_than(version, min_version))
    return refuse(kClientOutdated, "client version " + version.to_string() + " is older than " + min_version.to_string());

  PayloadDecision d;
  if (p.has_device_pairing_data()) {
    if (p.has_username()) return refuse(kBadRequest, "a registration must not name a user");
    d = check_registration(p.device_pairing_data(), client_static);
  } else {
    if (!p.has_username() || !p.has_device()) return refuse(kBadRequest, "a login needs username and device");
    std::string phone = std::to_string(p.username());
    Account* account = directory.by_phone(phone);
    if (!account) return refuse(kLoggedOut, "no account " + phone);
    if (p.device() == 0 || p.device() > 0xFFFF) return refuse(kLoggedOut, "device " + std::to_string(p.device()) + " is no companion");
    Companion* companion = account->companion(static_cast<std::uint16_t>(p.device()));
    if (!companion) return refuse(kLoggedOut, phone + ":" + std::to_string(p.device()) + " is not linked");
    if (!noise::equal_constant_time(companion->noise_key, client_static))
      return refuse(kLoggedOut, phone + ":" + std::to_string(p.device()) + " presented another Noise key");
    d.kind = PayloadDecision::Kind::login;
    d.phone = phone;
    d.device = static_cast<std::uint16_t>(p.device());
  }
  d.passive = p.passive();
  d.version = version;
  return d;
}

}  // namespace wacrm::wasim
