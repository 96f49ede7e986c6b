// Linking by pairing code ("link with phone number", protocol notes 01 §6.9):
// the 8-character code, the companion's ephemeral key wrapped with a key
// derived from it, and the key bundle + adv secret derived once the phone
// typed the code. Pure crypto and node building; the session sends.
//
// Both sides of the exchange are here (wrap/unwrap, seal/open) so that the
// simulator's phone (tests/wasim) does the primary's half with the same
// primitives; the unit tests pin them to values computed with the openssl
// command line, independently of this code.
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "wa/client_config.h"
#include "wire/node.h"

namespace wacrm::wa {

inline constexpr std::string_view kPairingCodeAlphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
inline constexpr std::size_t kWrappedKeySize = 80;      // salt 32 ‖ iv 16 ‖ AES-CTR(32)
inline constexpr std::size_t kWrappedBundleSize = 156;  // salt 32 ‖ nonce 12 ‖ AES-GCM(96) ‖ tag 16

// 5 bytes -> 8 characters of the alphabet, most significant bits first.
std::string pairing_code_from(ByteView five_bytes);
// A fresh random code.
std::string new_pairing_code();
// "ABCD-EFGH" as people read it.
std::string format_pairing_code(std::string_view code);
// What a person typed ("abcd-efgh", "ABCD EFGH") as the 8-character code;
// Errc::invalid_argument when it is not one.
Result<std::string> parse_pairing_code(std::string_view typed);
// "+1 555-010 0001" -> "15550100001": digits only, international form, no
// leading 0, 7 to 15 digits; Errc::invalid_argument otherwise.
Result<std::string> normalize_phone_number(std::string_view typed);

// PBKDF2-HMAC-SHA256(code, salt, 131072 iterations) -> 32 bytes.
Result<Bytes> pairing_code_key(std::string_view code, ByteView salt);
// salt(32) ‖ iv(16) ‖ AES-256-CTR(pairing_code_key(code, salt), iv, public_key): 80 bytes.
Result<Bytes> wrap_with_code(std::string_view code, ByteView public_key, ByteView salt, ByteView iv);
// The 32-byte key inside a wrap_with_code result (the phone may send more than 80 bytes).
Result<Bytes> unwrap_with_code(std::string_view code, ByteView wrapped);

// HKDF-SHA256(shared, salt, "link_code_pairing_key_bundle_encryption_key") -> 32 bytes.
Result<Bytes> key_bundle_key(ByteView shared_ephemeral, ByteView salt);
// salt ‖ nonce ‖ AES-256-GCM(key_bundle_key(shared, salt), nonce, plaintext) (tag appended, no AAD).
Result<Bytes> seal_key_bundle(ByteView shared_ephemeral, ByteView salt, ByteView nonce, ByteView plaintext);
// The plaintext of a seal_key_bundle result; Errc::crypto when the tag does not verify.
Result<Bytes> open_key_bundle(ByteView shared_ephemeral, ByteView wrapped_bundle);
// HKDF-SHA256(shared_ephemeral ‖ shared_identity ‖ secret, no salt, "adv_secret") -> 32 bytes.
Result<Bytes> code_adv_secret(ByteView shared_ephemeral, ByteView shared_identity, ByteView secret);

// --- the companion's side

// What companion_hello needs to remember until the phone answers.
struct CodePairing {
  std::string phone;          // digits only
  std::string code;           // 8 characters, no dash
  Bytes ephemeral_private;    // X25519, clamped
  Bytes ephemeral_public;
  std::string ref;            // link_code_pairing_ref from the hello's answer
};
// "Chrome (wacrm)": what companion_platform_display says ("Browser (OS)").
std::string platform_display(CompanionPlatform platform, std::string_view device_name);
// A fresh code and ephemeral key for `phone` (normalized).
Result<CodePairing> start_code_pairing(std::string phone);

// <iq set xmlns=md><link_code_companion_reg stage=companion_hello …>: the
// wrapped ephemeral key, our noise public key, platform id and display name.
Result<wire::Node> companion_hello_iq(const CodePairing& pairing, ByteView noise_public, std::string_view platform_id,
                                      std::string_view platform_display);
// The link_code_pairing_ref in the answer to companion_hello.
Result<std::string> parse_companion_hello_answer(const wire::Node& iq);

// <notification type="link_code_companion_reg">: the phone typed the code.
struct PrimaryHello {
  std::string ref;
  Bytes wrapped_primary_ephemeral;
  Bytes primary_identity_public;  // 32 bytes
};
bool is_code_pairing_notification(const wire::Node& node);
Result<PrimaryHello> parse_primary_hello(const wire::Node& notification);

// Steps 6–8: the key bundle for companion_finish and the adv secret that
// pair-success will be checked with.
struct CompanionFinish {
  Bytes wrapped_bundle;  // 156 bytes
  Bytes adv_secret;      // 32 bytes
};
Result<CompanionFinish> finish_code_pairing(const CodePairing& pairing, const PrimaryHello& hello,
                                            ByteView identity_private, ByteView identity_public);
// Same, with the random parts given (tests): salt 32, nonce 12, secret 32.
Result<CompanionFinish> finish_code_pairing(const CodePairing& pairing, const PrimaryHello& hello,
                                            ByteView identity_private, ByteView identity_public, ByteView salt,
                                            ByteView nonce, ByteView secret);
// <iq set xmlns=md><link_code_companion_reg stage=companion_finish …>.
wire::Node companion_finish_iq(const CodePairing& pairing, const CompanionFinish& finish, ByteView identity_public);

}  // namespace wacrm::wa
