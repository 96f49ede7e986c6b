// Linking a new companion by QR, the protocol side (notes 01 §6.1, §6.4–6.6):
// the server's pair-device refs, and the pair-success it sends once the phone
// scanned, verified in the notes' order:
//   1. device-identity parses as ADVSignedDeviceIdentityHMAC;
//   2. its HMAC-SHA256 with our adv secret matches (06 05 prefix for HOSTED);
//   3. the signed identity and its ADVDeviceIdentity parse;
//   4. the account signature (XEdDSA by the primary's key over
//      06 00 ‖ details ‖ our identity public key; 06 05 for HOSTED) verifies;
//   5. we sign 06 01 ‖ details ‖ our identity ‖ account key with our identity;
//   6. the full signed identity is kept for persistence.
// Each refusal says why and carries the iq error to answer with (whatsmeow's
// codes). Pure: nothing here stores or sends anything.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "store/credentials_store.h"
#include "wire/node.h"

namespace wacrm::wa {

// The refs of a <pair-device> iq. Errc::malformed when the iq is not one.
struct PairDevice {
  std::string iq_id;
  std::vector<std::string> refs;
};
// True for a server iq (type set) whose only child is `child_tag`.
bool is_server_iq_with(const wire::Node& node, std::string_view child_tag);
Result<PairDevice> parse_pair_device(const wire::Node& iq);

// Why a pair-success was refused: the reason for people and the iq error
// (code, text) the server gets.
struct PairingRefusal {
  int code = 500;
  std::string text = "internal-error";
  std::string reason;
};

struct PairSuccess {
  std::string iq_id;
  store::LinkedDevice device;     // jid, lid, full signed identity, platform, business name
  Bytes account_signature_key;    // the primary device's identity key (32 bytes)
  std::uint32_t key_index = 0;    // echoed in the reply
  Bytes reply_identity;           // ADVSignedDeviceIdentity without the account signature key
};

std::expected<PairSuccess, PairingRefusal> verify_pair_success(const wire::Node& iq,
                                                               const store::DeviceCredentials& credentials);

// <iq to=server type="result" id><pair-device-sign><device-identity key-index>…
wire::Node pair_device_sign(const PairSuccess& success);
// <iq to=server type="error" id><error code text/></iq>
wire::Node pairing_error_reply(std::string_view iq_id, const PairingRefusal& refusal);

}  // namespace wacrm::wa
