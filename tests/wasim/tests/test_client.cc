#include "wasim/tests/test_client.h"

#include <openssl/rand.h>

#include "net/noise_client.h"
#include "signal/key_generation.h"
#include "signal/padding.h"
#include "wa/adv.pb.h"
#include "wa/client_payload.h"
#include "wa/e2e.pb.h"
#include "wa/pairing.h"
#include "wa/pairing_qr.h"
#include "wasim/simulated_phone.h"
#include "wasim/stanzas.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"

namespace wacrm::wasim::testing {

namespace {

wa::ClientConfig config_of(const ClientOptions& options) {
  wa::ClientConfig config;
  config.dict_version = options.dict_version;
  config.version.tertiary = options.app_version;
  config.device_name = "wasim-test";
  return config;
}

}  // namespace

store::DeviceCredentials credentials_of(const DeviceKeys& keys, const std::string& jid) {
  store::DeviceCredentials credentials;
  credentials.noise_private = Bytes(keys.noise_key.private_key().view().begin(), keys.noise_key.private_key().view().end());
  credentials.noise_public = Bytes(keys.noise_key.public_key().begin(), keys.noise_key.public_key().end());
  credentials.identity = keys.identity;
  credentials.adv_secret = keys.adv_secret;
  if (!jid.empty()) credentials.linked = store::LinkedDevice{jid, "", {}, "", ""};
  return credentials;
}

DeviceKeys DeviceKeys::generate(signal::Context& context) {
  DeviceKeys keys{*noise::KeyPair::generate(), *signal::generate_local_identity(context), Bytes(32), nullptr};
  RAND_bytes(keys.adv_secret.data(), 32);
  keys.store = std::make_shared<signal::MemorySignalStore>(keys.identity);
  return keys;
}

Node make_iq(const std::string& id, const std::string& type, const std::string& xmlns, Node::Children children) {
  Node iq("iq", {{"id", id}, {"to", "@s.whatsapp.net"}, {"type", type}, {"xmlns", xmlns}});
  if (!children.empty()) iq.content = std::move(children);
  return iq;
}

TestClient::TestClient(std::string ws_url, noise::PublicKey root_key, signal::Context& context, DeviceKeys keys,
                       ClientOptions options)
    : ws_url_(std::move(ws_url)),
      root_key_(root_key),
      context_(context),
      keys_(std::move(keys)),
      options_(options),
      protocol_(context, *keys_.store) {}

TestClient::~TestClient() { close(); }

Status TestClient::connect_registration() {
  return connect_with_payload(WACRM_TRY(wa::registration_payload(credentials_of(keys_), config_of(options_))));
}

Status TestClient::connect_login(const std::string& phone, std::uint16_t device) {
  auto jid = phone + ":" + std::to_string(device) + "@s.whatsapp.net";
  return connect_with_payload(WACRM_TRY(wa::login_payload(credentials_of(keys_, jid), config_of(options_))));
}

bool TestClient::log_in(const std::string& phone, std::uint16_t device) {
  return connect_login(phone, device) && next_tag("success").has_value();
}

Status TestClient::connect_with_payload(Bytes payload) {
  close();
  inbox_.clear();
  net::NoiseClientOptions options;
  options.ws.url = ws_url_;
  options.dict_version = options_.dict_version;
  options.root_key = root_key_;
  std::optional<Result<net::NoiseConnection>> result;
  net::async_noise_connect(io_, options, keys_.noise_key, std::move(payload),
                           [&](Result<net::NoiseConnection> connection) { result = std::move(connection); });
  run_until([&] { return result.has_value(); }, 15s);
  if (!result) return make_error(Errc::timeout, "no handshake within 15 s");
  if (!*result) return std::unexpected(result->error());
  socket_ = (*result)->socket;
  closed_ = false;
  close_reason_.clear();
  auto dict = *wire::dict_version_from_byte(options_.dict_version);
  socket_->start(
      [this, dict](Bytes plaintext) {
        auto node = wire::decode_frame_payload(plaintext, dict);
        if (node) inbox_.push_back(std::move(*node));
        else close_reason_ = "undecodable frame: " + node.error().message;
      },
      [this](const Error& error) {
        closed_ = true;
        if (close_reason_.empty()) close_reason_ = error.message;
      });
  return {};
}

void TestClient::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io_.restart();
    io_.run_for(5ms);
  }
}

void TestClient::pump(std::chrono::milliseconds duration) {
  run_until([] { return false; }, duration);
}

void TestClient::send(const Node& node) {
  if (!socket_ || closed_) return;
  (void)socket_->async_send_frame(wire::encode_frame_payload(node, *wire::dict_version_from_byte(options_.dict_version)));
  io_.restart();
  io_.poll();
}

void TestClient::send_raw(ByteView plaintext) {
  if (!socket_ || closed_) return;
  (void)socket_->async_send_frame(plaintext);
  io_.restart();
  io_.poll();
}

std::optional<Node> TestClient::next(const std::function<bool(const Node&)>& match, std::chrono::milliseconds timeout) {
  std::optional<Node> found;
  auto take = [&] {
    for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
      if (!match(*it)) continue;
      found = std::move(*it);
      inbox_.erase(it);
      return true;
    }
    return closed_;
  };
  run_until(take, timeout);
  return found;
}

std::optional<Node> TestClient::next_tag(const std::string& tag, std::chrono::milliseconds timeout) {
  return next([&](const Node& n) { return n.tag == tag; }, timeout);
}

std::optional<Node> TestClient::response(const std::string& id, std::chrono::milliseconds timeout) {
  return next([&](const Node& n) { return n.tag == "iq" && n.attr_or("id") == id; }, timeout);
}

std::optional<Node> TestClient::query(Node iq, std::chrono::milliseconds timeout) {
  std::string id(iq.attr_or("id"));
  send(iq);
  return response(id, timeout);
}

bool TestClient::wait_closed(std::chrono::milliseconds timeout) {
  run_until([&] { return closed_; }, timeout);
  return closed_;
}

void TestClient::close() {
  if (socket_ && !closed_) {
    socket_->close();
    run_until([&] { return closed_; }, 2s);
  }
  socket_.reset();
  closed_ = true;
}

std::string TestClient::qr_string(const std::string& ref, bool url_form) const {
  std::string qr = wa::qr_string(ref, credentials_of(keys_), wa::CompanionPlatform::chrome);
  if (url_form) return qr;
  // Baileys 6's form: the four fields without the URL and the platform.
  qr = qr.substr(wa::kQrUrlPrefix.size());
  return qr.substr(0, qr.rfind(','));
}

TestClient::Signed TestClient::sign_pairing(const Node& iq, bool corrupt_device_signature) {
  auto success = wa::verify_pair_success(iq, credentials_of(keys_));
  if (!success) return {wa::pairing_error_reply(iq.attr_or("id"), success.error()), success.error().reason};
  if (corrupt_device_signature) {
    wa::ADVSignedDeviceIdentity identity;
    identity.ParseFromArray(success->reply_identity.data(), static_cast<int>(success->reply_identity.size()));
    std::string signature = identity.device_signature();
    signature[3] ^= 0x40;
    identity.set_device_signature(signature);
    std::string bytes = identity.SerializeAsString();
    success->reply_identity = Bytes(bytes.begin(), bytes.end());
  }
  device_jid_ = success->device.jid;
  return {wa::pair_device_sign(*success), ""};
}

Node TestClient::pre_key_upload(std::uint32_t first_id, std::uint32_t count) {
  auto keys = *signal::generate_pre_keys(context_, first_id, count);
  (void)signal::store_pre_keys(context_, *keys_.store, keys);
  Node::Children list;
  for (const auto& key : keys)
    list.push_back(Node("key", {}, Node::Children{bytes_node("id", be_bytes(key.id, 3)), bytes_node("value", key.key.public_key)}));
  const auto& id = keys_.identity;
  Node skey("skey", {},
            Node::Children{bytes_node("id", be_bytes(id.signed_pre_key_id, 3)), bytes_node("value", id.signed_pre_key_public),
                           bytes_node("signature", id.signed_pre_key_signature)});
  return make_iq(next_id(), "set", "encrypt",
                 {bytes_node("registration", be_bytes(id.registration_id, 4)), bytes_node("type", Bytes{5}),
                  bytes_node("identity", id.identity_public), Node("list", {}, std::move(list)), std::move(skey)});
}

Result<Bytes> TestClient::decrypt(const Node& message) {
  const Node* enc = message.child("enc");
  if (!enc || !enc->bytes()) return make_error(Errc::malformed, "no <enc>");
  auto from = message.attr_jid("from");
  if (!from) return std::unexpected(from.error());
  auto address = WACRM_TRY(address_of(*from));
  auto type = enc->attr_or("type");
  auto padded = type == "pkmsg" ? protocol_.decrypt_pkmsg(address, *enc->bytes()) : protocol_.decrypt_msg(address, *enc->bytes());
  if (!padded) return std::unexpected(Error(padded.error()));
  auto plain = signal::strip_padding(*padded);
  if (!plain) return std::unexpected(Error(plain.error()));
  return *plain;
}

Result<wa::Message> TestClient::decrypt_message(const Node& message) {
  Bytes plain = WACRM_TRY(decrypt(message));
  wa::Message parsed;
  if (!parsed.ParseFromArray(plain.data(), static_cast<int>(plain.size())))
    return make_error(Errc::malformed, "not a Message");
  return parsed;
}

Result<signal::PreKeyBundle> TestClient::fetch_bundle(const std::string& jid) {
  auto answer = query(make_iq(next_id(), "get", "encrypt", {Node("key", {}, Node::Children{Node("user", {{"jid", jid}})})}));
  const Node* list = answer ? answer->child("list") : nullptr;
  if (!list || list->children("user").empty()) return make_error(Errc::malformed, "no <list><user> in the answer");
  const Node& user = *list->children("user")[0];
  if (const Node* error = user.child("error"))
    return make_error(Errc::not_found, "error " + std::string(error->attr_or("code")));
  signal::PreKeyBundle bundle;
  std::uint32_t skey_id = 0;
  const Node* skey = user.child("skey");
  const Bytes* identity = child_bytes(user, "identity");
  if (!read_be(user.child("registration"), 4, bundle.registration_id) || !skey || !identity ||
      !read_be(skey->child("id"), 3, skey_id) || !child_bytes(*skey, "value") || !child_bytes(*skey, "signature"))
    return make_error(Errc::malformed, "an incomplete bundle");
  bundle.device_id = WACRM_TRY(wire::Jid::parse(jid)).device();
  bundle.identity_key = *identity;
  bundle.signed_pre_key = {skey_id, *child_bytes(*skey, "value"), *child_bytes(*skey, "signature")};
  if (const Node* key = user.child("key")) {
    std::uint32_t key_id = 0;
    if (!read_be(key->child("id"), 3, key_id) || !child_bytes(*key, "value")) return make_error(Errc::malformed, "a bad <key>");
    bundle.pre_key = signal::PreKeyPublic{key_id, *child_bytes(*key, "value")};
  }
  return bundle;
}

Result<Node> TestClient::encrypt_for(const std::string& jid, const wa::Message& message) {
  auto address = WACRM_TRY(address_of(WACRM_TRY(wire::Jid::parse(jid))));
  auto has = protocol_.has_session(address);
  if (has && !*has) {
    auto bundle = WACRM_TRY(fetch_bundle(jid));
    if (auto built = protocol_.build_session_from_bundle(address, bundle); !built) return std::unexpected(Error(built.error()));
  }
  Bytes padded = WACRM_TRY(signal::add_padding(as_bytes(message.SerializeAsString())));
  auto ciphertext = protocol_.encrypt(address, padded);
  if (!ciphertext) return std::unexpected(Error(ciphertext.error()));
  return Node("enc", {{"v", "2"}, {"type", std::string(signal::message_type_name(ciphertext->type))}},
              std::move(ciphertext->bytes));
}

}  // namespace wacrm::wasim::testing
