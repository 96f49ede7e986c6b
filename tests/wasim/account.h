// A simulated WhatsApp account as wasim keeps it: the numbers that name it,
// its primary phone's keys (wasim *is* that phone, so it holds the private
// halves) and the companion devices linked to it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "signal/keys.h"
#include "store/signal_store.h"
#include "wire/jid.h"

namespace wacrm::wasim {

struct SignedPreKeyPublic {
  std::uint32_t id = 0;
  Bytes public_key;  // 32 bytes
  Bytes signature;   // 64 bytes, XEdDSA over 05 || public_key
};

// A linked device (companion) of an account, as recorded at pairing and
// updated by its pre-key uploads.
struct Companion {
  std::uint16_t device = 0;
  std::uint32_t key_index = 0;
  std::uint32_t registration_id = 0;
  Bytes identity_key;  // 32 bytes
  Bytes noise_key;     // 32 bytes: the Noise static key every login must present
  // ADVSignedDeviceIdentity as the companion signed it (with accountSignatureKey).
  Bytes adv_identity;
  std::string platform;  // from DeviceProps: "Ubuntu/CHROME"
  SignedPreKeyPublic signed_pre_key;
  std::map<std::uint32_t, Bytes> pre_keys;  // uploaded one-time pre-keys not yet handed out
  bool uploaded_pre_keys = false;           // at least one upload happened
  bool key_share_sent = false;              // the phone's app-state key share went out
  std::int64_t paired_at = 0;               // unix seconds
};

// The primary phone's one-time pre-keys: private halves kept so wasim can
// decrypt what companions send to the phone.
struct PhonePreKey {
  signal::PreKey key;
  bool handed_out = false;  // served in a bundle; the private half stays until used
};

struct PhoneKeys {
  store::SignalLocalIdentity identity;  // identity pair, registration id, signed pre-key
  std::map<std::uint32_t, PhonePreKey> pre_keys;
  std::uint32_t next_pre_key_id = 1;
  std::uint32_t adv_raw_id = 0;  // ADVDeviceIdentity.rawId of this account
};

// A Signal session the phone holds with another device, kept in the state
// file so a restart does not break a conversation in the middle.
struct PhoneSession {
  std::string name;  // signal address name (whatsmeow's scheme)
  std::int32_t device = 0;
  Bytes record;    // libsignal session record
  Bytes identity;  // the remote identity key (33 bytes), empty if none stored
};

struct Contact {
  std::string phone;
  std::string name;
};

struct Account {
  std::string phone;  // the PN user: digits only
  std::string lid;    // the one LID user of this account
  std::string push_name;
  std::string business_name;  // non-empty: sent as <biz name> at pairing
  std::vector<Contact> contacts;
  PhoneKeys phone_keys;
  std::map<std::uint16_t, Companion> companions;
  std::vector<PhoneSession> phone_sessions;  // as of the last save
  std::uint16_t next_device = 1;
  std::uint32_t next_key_index = 1;

  wire::Jid pn_jid(std::uint16_t device = 0) const { return wire::Jid(phone, std::string(wire::server::kUser), device); }
  wire::Jid lid_jid(std::uint16_t device = 0) const { return wire::Jid(lid, std::string(wire::server::kLid), device); }
  Companion* companion(std::uint16_t device) {
    auto it = companions.find(device);
    return it == companions.end() ? nullptr : &it->second;
  }
};

// What a caller asks for when creating an account (admin API, scenario).
struct AccountSpec {
  std::string phone;
  std::string push_name;
  std::string lid;  // empty: derived from the phone number
  std::string business_name;
  std::vector<Contact> contacts;
};

}  // namespace wacrm::wasim
