// The server's side of Signal pre-keys (01 §7.3, 02 §8.3): validating and
// storing a companion's upload, counting, the digest, and handing out
// bundles -- one one-time pre-key per fetch, as the real server does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "base/error.h"
#include "signal/bundle.h"
#include "wasim/account.h"
#include "wasim/directory.h"
#include "wire/node.h"

namespace wacrm::wasim {

struct PreKeyUpload {
  std::uint32_t registration_id = 0;
  Bytes identity_key;
  std::map<std::uint32_t, Bytes> pre_keys;
  SignedPreKeyPublic signed_pre_key;
};

// Checks every field of an <iq xmlns="encrypt" type="set"> upload, the
// signed pre-key's XEdDSA signature included. Errc::invalid_argument naming
// what is wrong.
Result<PreKeyUpload> parse_pre_key_upload(const wire::Node& iq);
// Stores it for the companion; the identity must be the one it paired with.
Status apply_pre_key_upload(Companion& companion, const PreKeyUpload& upload);

// The bundle of a device, taking one one-time pre-key out of circulation
// (none when the device has run out). Errc::not_found for a companion that
// never gave us keys.
Result<signal::PreKeyBundle> take_bundle(const DeviceRef& device);

// A <key>/<skey> node: its 3-byte id and 32-byte value (and, signed, its
// 64-byte signature). Also what a retry receipt's <keys> hold.
Result<std::pair<std::uint32_t, Bytes>> parse_key_node(const wire::Node& key, bool is_signed, Bytes* signature);

// <user jid=…> children of a key fetch answer.
wire::Node bundle_node(const std::string& jid, const signal::PreKeyBundle& bundle, bool corrupt_signature);
wire::Node bundle_error_node(const std::string& jid, int code, const std::string& text);

// <digest> of what the server holds for a companion.
wire::Node digest_node(const Companion& companion);

}  // namespace wacrm::wasim
