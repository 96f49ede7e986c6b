#include "wasim/prekeys.h"

#include <openssl/evp.h>

#include "signal/xeddsa.h"
#include "wasim/stanzas.h"

namespace wacrm::wasim {

namespace {

using wire::Node;

std::unexpected<Error> bad(std::string what) { return make_error(Errc::invalid_argument, std::move(what)); }

Result<std::pair<std::uint32_t, Bytes>> parse_key(const Node& key, bool is_signed, Bytes* signature) {
  std::uint32_t id = 0;
  if (!read_be(key.child("id"), 3, id)) return bad("a pre-key id is not 3 bytes");
  const Bytes* value = child_bytes(key, "value");
  if (!value || value->size() != 32) return bad("a pre-key value is not 32 bytes");
  if (is_signed) {
    const Bytes* sig = child_bytes(key, "signature");
    if (!sig || sig->size() != 64) return bad("the signed pre-key signature is not 64 bytes");
    *signature = *sig;
  }
  return std::make_pair(id, *value);
}

Node key_node(const char* tag, std::uint32_t id, const Bytes& value) {
  return Node(tag, {}, Node::Children{bytes_node("id", be_bytes(id, 3)), bytes_node("value", value)});
}

}  // namespace

Result<std::pair<std::uint32_t, Bytes>> parse_key_node(const wire::Node& key, bool is_signed, Bytes* signature) {
  return parse_key(key, is_signed, signature);
}

Result<PreKeyUpload> parse_pre_key_upload(const wire::Node& iq) {
  PreKeyUpload upload;
  if (!read_be(iq.child("registration"), 4, upload.registration_id)) return bad("registration is not 4 bytes");
  const Bytes* type = child_bytes(iq, "type");
  if (!type || *type != Bytes{0x05}) return bad("type is not 05");
  const Bytes* identity = child_bytes(iq, "identity");
  if (!identity || identity->size() != 32) return bad("identity is not 32 bytes");
  upload.identity_key = *identity;
  const Node* list = iq.child("list");
  if (!list) return bad("no <list> of pre-keys");
  for (const Node& key : list->child_nodes()) {
    if (key.tag != "key") return bad("<list> holds a <" + key.tag + ">");
    auto parsed = WACRM_TRY(parse_key(key, false, nullptr));
    if (!upload.pre_keys.emplace(parsed.first, std::move(parsed.second)).second)
      return bad("pre-key id " + std::to_string(parsed.first) + " appears twice");
  }
  const Node* skey = iq.child("skey");
  if (!skey) return bad("no <skey>");
  Bytes signature;
  auto parsed = WACRM_TRY(parse_key(*skey, true, &signature));
  upload.signed_pre_key = {parsed.first, std::move(parsed.second), std::move(signature)};
  Bytes signed_data{0x05};
  signed_data.insert(signed_data.end(), upload.signed_pre_key.public_key.begin(), upload.signed_pre_key.public_key.end());
  if (!signal::xeddsa_verify(upload.identity_key, signed_data, upload.signed_pre_key.signature))
    return bad("the signed pre-key signature does not verify");
  return upload;
}

Status apply_pre_key_upload(Companion& companion, const PreKeyUpload& upload) {
  if (upload.identity_key != companion.identity_key)
    return bad("the identity is not the one this device paired with");
  if (upload.registration_id != companion.registration_id)
    return bad("the registration id is not the one this device paired with");
  for (const auto& [id, key] : upload.pre_keys) companion.pre_keys[id] = key;
  companion.signed_pre_key = upload.signed_pre_key;
  companion.uploaded_pre_keys = true;
  return {};
}

Result<signal::PreKeyBundle> take_bundle(const DeviceRef& device) {
  signal::PreKeyBundle bundle;
  bundle.device_id = device.device;
  if (device.is_phone()) {
    auto& keys = device.account->phone_keys;
    const auto& identity = keys.identity;
    bundle.registration_id = identity.registration_id;
    bundle.identity_key = identity.identity_public;
    bundle.signed_pre_key = {identity.signed_pre_key_id, identity.signed_pre_key_public,
                             identity.signed_pre_key_signature};
    for (auto& [id, pre_key] : keys.pre_keys) {
      if (pre_key.handed_out) continue;
      pre_key.handed_out = true;
      bundle.pre_key = signal::PreKeyPublic{id, pre_key.key.key.public_key};
      break;
    }
    return bundle;
  }
  Companion* companion = device.companion();
  if (!companion || companion->signed_pre_key.public_key.empty())
    return make_error(Errc::not_found, "the device has no keys");
  bundle.registration_id = companion->registration_id;
  bundle.identity_key = companion->identity_key;
  bundle.signed_pre_key = {companion->signed_pre_key.id, companion->signed_pre_key.public_key,
                           companion->signed_pre_key.signature};
  if (!companion->pre_keys.empty()) {
    auto first = companion->pre_keys.begin();
    bundle.pre_key = signal::PreKeyPublic{first->first, first->second};
    companion->pre_keys.erase(first);
  }
  return bundle;
}

wire::Node bundle_node(const std::string& jid, const signal::PreKeyBundle& bundle, bool corrupt_signature) {
  Bytes signature = bundle.signed_pre_key.signature;
  if (corrupt_signature && !signature.empty()) signature[signature.size() / 2] ^= 0x01;
  Node::Children children{bytes_node("registration", be_bytes(bundle.registration_id, 4)),
                          bytes_node("type", Bytes{0x05}), bytes_node("identity", bundle.identity_key)};
  Node skey = key_node("skey", bundle.signed_pre_key.id, bundle.signed_pre_key.public_key);
  std::get<Node::Children>(skey.content).push_back(bytes_node("signature", std::move(signature)));
  if (bundle.pre_key) children.push_back(key_node("key", bundle.pre_key->id, bundle.pre_key->public_key));
  children.push_back(std::move(skey));
  return Node("user", {{"jid", jid}}, std::move(children));
}

wire::Node bundle_error_node(const std::string& jid, int code, const std::string& text) {
  return Node("user", {{"jid", jid}},
              Node::Children{Node("error", {{"code", std::to_string(code)}, {"text", text}})});
}

wire::Node digest_node(const Companion& companion) {
  // The hash is our own choice (the real one is not documented): SHA-1 over
  // identity, signed pre-key value and signature, then every pre-key value.
  Bytes hashed = companion.identity_key;
  hashed.insert(hashed.end(), companion.signed_pre_key.public_key.begin(), companion.signed_pre_key.public_key.end());
  hashed.insert(hashed.end(), companion.signed_pre_key.signature.begin(), companion.signed_pre_key.signature.end());
  Node::Children ids;
  for (const auto& [id, value] : companion.pre_keys) {
    hashed.insert(hashed.end(), value.begin(), value.end());
    ids.push_back(bytes_node("id", be_bytes(id, 3)));
  }
  Bytes hash(EVP_MAX_MD_SIZE);
  unsigned int hash_size = 0;
  EVP_Digest(hashed.data(), hashed.size(), hash.data(), &hash_size, EVP_sha1(), nullptr);
  hash.resize(hash_size);
  Node skey = key_node("skey", companion.signed_pre_key.id, companion.signed_pre_key.public_key);
  std::get<Node::Children>(skey.content).push_back(bytes_node("signature", companion.signed_pre_key.signature));
  return Node("digest", {},
              Node::Children{bytes_node("registration", be_bytes(companion.registration_id, 4)),
                             bytes_node("type", Bytes{0x05}), bytes_node("identity", companion.identity_key),
                             std::move(skey), Node("list", {}, std::move(ids)), bytes_node("hash", std::move(hash))});
}

}  // namespace wacrm::wasim
