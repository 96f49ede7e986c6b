#include "wa/pairing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "noise/secret_key.h"
#include "noise/xeddsa.h"
#include "wa/adv.pb.h"
#include "wa/iq.h"
#include "wire/jid.h"

namespace wacrm::wa {

namespace {

// Signature and HMAC prefixes (notes 01 §6.5).
constexpr std::uint8_t kAccountSignaturePrefix[] = {0x06, 0x00};
constexpr std::uint8_t kDeviceSignaturePrefix[] = {0x06, 0x01};
constexpr std::uint8_t kHostedPrefix[] = {0x06, 0x05};

std::unexpected<PairingRefusal> refuse(int code, std::string text, std::string reason) {
  return std::unexpected(PairingRefusal{code, std::move(text), std::move(reason)});
}
std::unexpected<PairingRefusal> internal(std::string reason) { return refuse(500, "internal-error", std::move(reason)); }

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

Bytes hmac_sha256(ByteView key, ByteView message) {
  Bytes mac(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), mac.data(), &size);
  mac.resize(size);
  return mac;
}

ByteView view(const std::string& s) { return as_bytes(s); }

bool from_server(const wire::Node& node) {
  auto from = node.attr_or("from");
  return from == server_jid() || from == wire::server::kUser;
}

}  // namespace

bool is_server_iq_with(const wire::Node& node, std::string_view child_tag) {
  if (node.tag != "iq" || node.attr_or("type") != "set" || !from_server(node)) return false;
  auto children = node.child_nodes();
  return children.size() == 1 && children[0].tag == child_tag;
}

Result<PairDevice> parse_pair_device(const wire::Node& iq) {
  if (!is_server_iq_with(iq, "pair-device"))
    return make_error(Errc::malformed, "not a pair-device iq from the server");
  PairDevice out;
  out.iq_id = std::string(iq.attr_or("id"));
  for (const wire::Node* ref : iq.child("pair-device")->children("ref")) {
    if (const Bytes* bytes = ref->bytes())
      out.refs.emplace_back(bytes->begin(), bytes->end());
    else if (const std::string* text = ref->text())
      out.refs.push_back(*text);
  }
  if (out.refs.empty()) return make_error(Errc::malformed, "pair-device carries no refs");
  return out;
}

std::expected<PairSuccess, PairingRefusal> verify_pair_success(const wire::Node& iq,
                                                               const store::DeviceCredentials& credentials) {
  if (!is_server_iq_with(iq, "pair-success")) return internal("not a pair-success iq from the server");
  PairSuccess out;
  out.iq_id = std::string(iq.attr_or("id"));
  const wire::Node& success = *iq.child("pair-success");

  const wire::Node* device = success.child("device");
  auto jid = device ? device->attr_jid("jid") : make_error(Errc::not_found, "no device");
  if (!jid || !jid->is_pn() || jid->user().empty() || jid->device() == 0)
    return internal("pair-success names no device JID for us");
  out.device.jid = jid->to_string();
  if (auto lid = device->attr_jid("lid"); lid && lid->is_lid()) out.device.lid = lid->to_string();
  if (const wire::Node* platform = success.child("platform")) out.device.platform = platform->attr_or("name");
  if (const wire::Node* biz = success.child("biz")) out.device.business_name = biz->attr_or("name");

  // 1. The HMAC container.
  const wire::Node* identity_node = success.child("device-identity");
  const Bytes* container_bytes = identity_node ? identity_node->bytes() : nullptr;
  ADVSignedDeviceIdentityHMAC container;
  if (!container_bytes ||
      !container.ParseFromArray(container_bytes->data(), static_cast<int>(container_bytes->size())) ||
      !container.has_details() || !container.has_hmac())
    return internal("device-identity is not an ADVSignedDeviceIdentityHMAC");

  // 2. The HMAC with our adv secret: proves the phone saw our QR.
  const bool hosted_account = container.account_type() == ADVEncryptionType::HOSTED;
  ByteView hmac_prefix = hosted_account ? ByteView(kHostedPrefix) : ByteView();
  Bytes mac = hmac_sha256(credentials.adv_secret, concat({hmac_prefix, view(container.details())}));
  if (!noise::equal_constant_time(mac, view(container.hmac())))
    return refuse(401, "hmac-mismatch", "the pairing HMAC does not match our adv secret");

  // 3. The signed identity and the device identity inside it.
  ADVSignedDeviceIdentity account;
  ADVDeviceIdentity device_identity;
  if (!account.ParseFromString(container.details()) || !account.has_details() ||
      !device_identity.ParseFromString(account.details()))
    return internal("the signed device identity does not parse");

  // 4. The primary device's signature over our identity key.
  noise::PublicKey account_key{};
  if (!noise::to_public_key(view(account.account_signature_key()), account_key) ||
      account.account_signature().size() != noise::kSignatureSize)
    return refuse(401, "signature-mismatch", "the account signature or its key has the wrong size");
  const bool hosted_device = device_identity.device_type() == ADVEncryptionType::HOSTED;
  Bytes signed_by_account = concat({hosted_device ? ByteView(kHostedPrefix) : ByteView(kAccountSignaturePrefix),
                                    view(account.details()), credentials.identity.identity_public});
  if (!noise::xeddsa_verify(account_key, signed_by_account, view(account.account_signature())))
    return refuse(401, "signature-mismatch", "the account signature does not verify with the primary's key");

  // 5. Our device signature.
  if (credentials.identity.identity_private.size() != noise::kKeySize)
    return internal("our identity private key is missing");
  noise::SecretKey identity_private(std::span<const std::uint8_t, noise::kKeySize>(
      credentials.identity.identity_private.data(), noise::kKeySize));
  auto device_signature =
      noise::xeddsa_sign(identity_private, concat({kDeviceSignaturePrefix, view(account.details()),
                                                   credentials.identity.identity_public, account_key}));
  if (!device_signature) return internal("signing the device identity failed: " + device_signature.error().message);
  account.set_device_signature(device_signature->data(), device_signature->size());

  // 6. Keep the full identity; the reply omits the account signature key.
  std::string full;
  account.SerializeToString(&full);
  out.device.adv_signed_identity.assign(full.begin(), full.end());
  out.account_signature_key.assign(account_key.begin(), account_key.end());
  out.key_index = device_identity.key_index();
  account.clear_account_signature_key();
  std::string reply;
  account.SerializeToString(&reply);
  out.reply_identity.assign(reply.begin(), reply.end());
  return out;
}

wire::Node pair_device_sign(const PairSuccess& success) {
  wire::Node identity("device-identity", {{"key-index", std::to_string(success.key_index)}}, success.reply_identity);
  wire::Node sign("pair-device-sign", {}, wire::Node::Children{std::move(identity)});
  wire::Node iq = iq_result(success.iq_id);
  iq.content = wire::Node::Children{std::move(sign)};
  return iq;
}

wire::Node pairing_error_reply(std::string_view iq_id, const PairingRefusal& refusal) {
  wire::Node iq("iq", {{"to", server_jid()}, {"type", "error"}, {"id", std::string(iq_id)}});
  iq.content = wire::Node::Children{
      wire::Node("error", {{"code", std::to_string(refusal.code)}, {"text", refusal.text}})};
  return iq;
}

}  // namespace wacrm::wa
