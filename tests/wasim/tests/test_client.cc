#include "wasim/tests/test_client.h"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "net/noise_client.h"
#include "signal/key_generation.h"
#include "signal/padding.h"
#include "signal/xeddsa.h"
#include "wa/adv.pb.h"
#include "wa/client_payload.pb.h"
#include "wa/e2e.pb.h"
#include "wasim/base64.h"
#include "wasim/simulated_phone.h"
#include "wasim/stanzas.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"

namespace wacrm::wasim::testing {

namespace {

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

void fill_user_agent(wa::ClientPayload& payload, std::uint32_t app_version) {
  auto* agent = payload.mutable_user_agent();
  agent->set_platform(wa::ClientPayload::UserAgent::WEB);
  agent->mutable_app_version()->set_primary(2);
  agent->mutable_app_version()->set_secondary(3000);
  agent->mutable_app_version()->set_tertiary(app_version);
  agent->set_mcc("000");
  agent->set_mnc("000");
  agent->set_os_version("0.1");
  agent->set_device("Desktop");
  agent->set_os_build_number("0.1");
  agent->set_release_channel(wa::ClientPayload::UserAgent::RELEASE);
  agent->set_locale_language_iso_639_1("en");
  agent->set_locale_country_iso_3166_1_alpha_2("US");
  payload.mutable_web_info()->set_web_sub_platform(wa::ClientPayload::WebInfo::WEB_BROWSER);
  payload.set_connect_type(wa::ClientPayload::WIFI_UNKNOWN);
  payload.set_connect_reason(wa::ClientPayload::USER_ACTIVATED);
}

}  // namespace

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
  wa::ClientPayload payload;
  fill_user_agent(payload, options_.app_version);
  payload.set_passive(false);
  payload.set_pull(false);
  auto* reg = payload.mutable_device_pairing_data();
  const auto& id = keys_.identity;
  Bytes regid = be_bytes(id.registration_id, 4), skey_id = be_bytes(id.signed_pre_key_id, 3);
  reg->set_e_regid(regid.data(), regid.size());
  reg->set_e_keytype(std::string(1, '\x05'));
  reg->set_e_ident(id.identity_public.data(), id.identity_public.size());
  reg->set_e_skey_id(skey_id.data(), skey_id.size());
  reg->set_e_skey_val(id.signed_pre_key_public.data(), id.signed_pre_key_public.size());
  reg->set_e_skey_sig(id.signed_pre_key_signature.data(), id.signed_pre_key_signature.size());
  wa::DeviceProps props;
  props.set_os("wasim-test");
  props.set_platform_type(wa::DeviceProps::CHROME);
  reg->set_device_props(props.SerializeAsString());
  return connect_with_payload(bytes_of(payload.SerializeAsString()));
}

Status TestClient::connect_login(const std::string& phone, std::uint16_t device) {
  wa::ClientPayload payload;
  fill_user_agent(payload, options_.app_version);
  payload.set_username(std::stoull(phone));
  payload.set_device(device);
  payload.set_passive(true);
  payload.set_pull(true);
  return connect_with_payload(bytes_of(payload.SerializeAsString()));
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
  std::string fields = ref + "," + base64_encode(keys_.noise_key.public_key()) + "," +
                       base64_encode(keys_.identity.identity_public) + "," + base64_encode(keys_.adv_secret);
  return url_form ? "https://wa.me/settings/linked_devices#" + fields + ",1" : fields;
}

Result<Node> TestClient::sign_pairing(const Node& iq, bool corrupt_device_signature) {
  const Node* success = iq.child("pair-success");
  const Node* identity_node = success ? success->child("device-identity") : nullptr;
  const Node* device = success ? success->child("device") : nullptr;
  if (!identity_node || !identity_node->bytes() || !device) return make_error(Errc::malformed, "no device-identity/device");
  wa::ADVSignedDeviceIdentityHMAC container;
  const Bytes& raw = *identity_node->bytes();
  if (!container.ParseFromArray(raw.data(), static_cast<int>(raw.size())))
    return make_error(Errc::malformed, "device-identity does not parse");
  Bytes mac(32);
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), keys_.adv_secret.data(), 32, reinterpret_cast<const unsigned char*>(container.details().data()),
       container.details().size(), mac.data(), &mac_size);
  if (!noise::equal_constant_time(mac, as_bytes(container.hmac()))) return make_error(Errc::crypto, "HMAC mismatch");
  wa::ADVSignedDeviceIdentity account;
  if (!account.ParseFromString(container.details())) return make_error(Errc::malformed, "inner identity does not parse");
  static constexpr std::uint8_t kAccountPrefix[] = {6, 0}, kDevicePrefix[] = {6, 1};
  Bytes signed_by_phone = concat({kAccountPrefix, as_bytes(account.details()), keys_.identity.identity_public});
  if (!signal::xeddsa_verify(as_bytes(account.account_signature_key()), signed_by_phone,
                             as_bytes(account.account_signature())))
    return make_error(Errc::crypto, "the account signature does not verify");
  wa::ADVDeviceIdentity details;
  details.ParseFromString(account.details());
  Bytes to_sign = concat({kDevicePrefix, as_bytes(account.details()), keys_.identity.identity_public,
                          as_bytes(account.account_signature_key())});
  Bytes device_signature = WACRM_TRY(signal::xeddsa_sign(context_, keys_.identity.identity_private, to_sign));
  if (corrupt_device_signature) device_signature[3] ^= 0x40;
  account.set_device_signature(device_signature.data(), device_signature.size());
  account.clear_account_signature_key();
  device_jid_ = std::string(device->attr_or("jid"));
  Node reply("iq", {{"to", "@s.whatsapp.net"}, {"type", "result"}, {"id", std::string(iq.attr_or("id"))}});
  Node sign("pair-device-sign", {},
            Node::Children{Node("device-identity", {{"key-index", std::to_string(details.key_index())}},
                                bytes_of(account.SerializeAsString()))});
  reply.content = Node::Children{std::move(sign)};
  return reply;
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

}  // namespace wacrm::wasim::testing
