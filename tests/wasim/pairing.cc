#include "wasim/pairing.h"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "signal/xeddsa.h"
#include "wa/adv.pb.h"
#include "wasim/base64.h"
#include "wasim/qr_string.h"
#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

using wire::Node;

constexpr std::uint8_t kAccountSignaturePrefix[] = {0x06, 0x00};
constexpr std::uint8_t kDeviceSignaturePrefix[] = {0x06, 0x01};

std::string new_ref() {
  Bytes random(33);
  RAND_bytes(random.data(), static_cast<int>(random.size()));
  return "2@" + base64_encode(random);
}

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

Bytes hmac_sha256(ByteView key, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &size);
  out.resize(size);
  return out;
}

std::string serialized(const google::protobuf::MessageLite& message) {
  std::string out;
  message.SerializeToString(&out);
  return out;
}

}  // namespace

Pairing::Pairing(World& world) : world_(world), codes_(world, *this) {}

void Pairing::start(Session& session) {
  session.role = Session::Role::registering;
  send_refs(session);
}

void Pairing::send_refs(Session& session) {
  forget_refs(session);
  const auto& options = world_.options();
  auto now = std::chrono::steady_clock::now();
  Node::Children ref_nodes;
  Json refs = Json::array();
  for (int i = 0; i < options.refs; ++i) {
    RefSlot slot{new_ref(), now + options.ref_first_ttl + i * options.ref_ttl};
    refs_[slot.ref] = session.id;
    ref_nodes.push_back(bytes_node("ref", Bytes(slot.ref.begin(), slot.ref.end())));
    refs.push_back(slot.ref);
    session.refs.push_back(std::move(slot));
  }
  session.connection->send(iq_set(world_.new_stanza_id(), "md", Node("pair-device", {}, std::move(ref_nodes))));
  world_.event("pair_device_refs", {{"connection", session.id}, {"refs", refs}});

  // When the last ref has expired and the client is still here, it gets new ones.
  if (!session.ref_timer) session.ref_timer = std::make_unique<boost::asio::steady_timer>(world_.io());
  session.ref_timer->expires_at(session.refs.back().expires_at);
  std::uint64_t id = session.id;
  session.ref_timer->async_wait([this, id](boost::system::error_code ec) {
    if (ec) return;
    Session* s = world_.session(id);
    if (s && s->role == Session::Role::registering && !s->pairing && !s->connection->closing()) send_refs(*s);
  });
}

void Pairing::forget_refs(Session& session) {
  for (const auto& slot : session.refs) refs_.erase(slot.ref);
  session.refs.clear();
}

void Pairing::scan(const std::string& phone, const std::string& qr_text, std::chrono::milliseconds timeout,
                   ScanDone done) {
  auto qr = parse_qr_string(qr_text);
  if (!qr) return done(std::unexpected(qr.error()));
  Account* account = world_.directory().by_phone(phone);
  if (!account) return done(make_error(Errc::not_found, "no account '" + phone + "'"));
  auto it = refs_.find(qr->ref);
  Session* session = it == refs_.end() ? nullptr : world_.session(it->second);
  if (!session || session->role != Session::Role::registering || !session->registration)
    return done(make_error(Errc::not_found, "ref '" + qr->ref + "' belongs to no registering client"));
  auto slot = std::find_if(session->refs.begin(), session->refs.end(), [&](const RefSlot& s) { return s.ref == qr->ref; });
  if (slot == session->refs.end() || slot->expires_at < std::chrono::steady_clock::now())
    return done(make_error(Errc::not_found, "ref '" + qr->ref + "' has expired"));
  const Registration& reg = *session->registration;
  if (qr->noise_key != reg.noise_key || qr->identity_key != reg.identity_key)
    return done(make_error(Errc::invalid_argument, "the QR keys are not the keys of the client holding that ref"));
  if (session->pairing) return done(make_error(Errc::conflict, "a pairing with that client is already under way"));
  send_pair_success(*session, *account, qr->adv_secret, timeout, std::move(done));
}

void Pairing::send_pair_success(Session& session_ref, Account& account_ref, const Bytes& adv_secret,
                                std::chrono::milliseconds timeout, ScanDone done) {
  Session* session = &session_ref;
  Account* account = &account_ref;
  const Registration& reg = *session->registration;
  const std::string phone = account->phone;

  // The phone's side (03 §5 (c)): ADVDeviceIdentity, account signature, HMAC.
  std::uint16_t device = account->next_device++;
  std::uint32_t key_index = account->next_key_index++;
  world_.mark_dirty();
  wa::ADVDeviceIdentity identity;
  identity.set_raw_id(account->phone_keys.adv_raw_id);
  identity.set_timestamp(static_cast<std::uint64_t>(unix_now()));
  identity.set_key_index(key_index);
  std::string details_bytes = serialized(identity);
  Bytes details(details_bytes.begin(), details_bytes.end());
  const auto& phone_identity = account->phone_keys.identity;
  auto signature = signal::xeddsa_sign(world_.signal(), phone_identity.identity_private,
                                       concat({kAccountSignaturePrefix, details, reg.identity_key}));
  if (!signature) return done(std::unexpected(signature.error()));
  Bytes account_signature = *signature;
  if (world_.faults().take_bad_account_signature()) account_signature[10] ^= 0x01;

  wa::ADVSignedDeviceIdentity signed_identity;
  signed_identity.set_details(details.data(), details.size());
  signed_identity.set_account_signature_key(phone_identity.identity_public.data(), phone_identity.identity_public.size());
  signed_identity.set_account_signature(account_signature.data(), account_signature.size());
  std::string signed_bytes = serialized(signed_identity);
  wa::ADVSignedDeviceIdentityHMAC container;
  container.set_details(signed_bytes);
  Bytes mac = hmac_sha256(adv_secret, as_bytes(signed_bytes));
  container.set_hmac(mac.data(), mac.size());
  std::string container_bytes = serialized(container);

  Node::Children children{
      bytes_node("device-identity", Bytes(container_bytes.begin(), container_bytes.end())),
      Node("platform", {{"name", "android"}}),
      Node("device", {{"jid", account->pn_jid(device).to_string()}, {"lid", account->lid_jid(device).to_string()}})};
  if (!account->business_name.empty()) children.push_back(Node("biz", {{"name", account->business_name}}));

  PairingInFlight pairing;
  pairing.iq_id = world_.new_stanza_id();
  pairing.phone = phone;
  pairing.device = device;
  pairing.key_index = key_index;
  pairing.details = details;
  pairing.account_signature = account_signature;
  pairing.done = std::move(done);
  pairing.timeout = std::make_unique<boost::asio::steady_timer>(world_.io(), timeout);
  std::uint64_t id = session->id;
  pairing.timeout->async_wait([this, id](boost::system::error_code ec) {
    if (ec) return;
    if (Session* s = world_.session(id); s && s->pairing) refuse(*s, "no pair-device-sign within the scan timeout", false, Errc::timeout);
  });
  session->connection->send(iq_set(pairing.iq_id, "md", Node("pair-success", {}, std::move(children))));
  session->pairing = std::move(pairing);
  world_.event("pair_success_sent", {{"connection", id}, {"jid", account->pn_jid(device).to_string()}});
}

bool Pairing::on_iq_reply(Session& session, const wire::Node& iq) {
  auto id = iq.attr_or("id");
  if (!session.pairing || id != session.pairing->iq_id) return !id.empty();
  if (iq.attr_or("type") == "error") {
    const Node* error = iq.child("error");
    std::string why = error ? std::string(error->attr_or("code")) + " " + std::string(error->attr_or("text")) : "no reason";
    refuse(session, "the client refused the pairing: " + why, false);
    return true;
  }
  finish(session, iq);
  return true;
}

void Pairing::finish(Session& session, const wire::Node& iq) {
  PairingInFlight& pairing = *session.pairing;
  const Registration& reg = *session.registration;
  Account* account = world_.directory().by_phone(pairing.phone);
  const Node* sign = iq.child("pair-device-sign");
  const Node* identity_node = sign ? sign->child("device-identity") : nullptr;
  if (!account) return refuse(session, "the account went away", true);
  if (!identity_node || !identity_node->bytes()) return refuse(session, "unsigned pair reply (no device-identity)", true);
  if (identity_node->attr_or("key-index") != std::to_string(pairing.key_index))
    return refuse(session, "pair-device-sign names another key index", true);
  wa::ADVSignedDeviceIdentity reply;
  const Bytes& reply_bytes = *identity_node->bytes();
  if (!reply.ParseFromArray(reply_bytes.data(), static_cast<int>(reply_bytes.size())))
    return refuse(session, "device-identity does not parse", true);
  if (!std::ranges::equal(as_bytes(reply.details()), pairing.details) ||
      !std::ranges::equal(as_bytes(reply.account_signature()), pairing.account_signature))
    return refuse(session, "device-identity is not the identity the phone signed", true);
  const auto& phone_public = account->phone_keys.identity.identity_public;
  Bytes message = concat({kDeviceSignaturePrefix, pairing.details, reg.identity_key, phone_public});
  if (reply.device_signature().size() != 64 ||
      !signal::xeddsa_verify(reg.identity_key, message, as_bytes(reply.device_signature())))
    return refuse(session, "the device signature does not verify", true);

  Companion companion;
  companion.device = pairing.device;
  companion.key_index = pairing.key_index;
  companion.registration_id = reg.registration_id;
  companion.identity_key = reg.identity_key;
  companion.noise_key = reg.noise_key;
  reply.set_account_signature_key(phone_public.data(), phone_public.size());
  std::string full = serialized(reply);
  companion.adv_identity = Bytes(full.begin(), full.end());
  companion.platform = reg.platform;
  companion.signed_pre_key = reg.signed_pre_key;
  companion.paired_at = unix_now();
  account->companions[companion.device] = std::move(companion);
  world_.mark_dirty();

  Json result = {{"result", "paired"},
                 {"device_jid", account->pn_jid(pairing.device).to_string()},
                 {"lid_jid", account->lid_jid(pairing.device).to_string()},
                 {"key_index", pairing.key_index}};
  world_.event("paired", {{"connection", session.id},
                          {"jid", account->pn_jid(pairing.device).to_string()},
                          {"lid_jid", account->lid_jid(pairing.device).to_string()},
                          {"key_index", pairing.key_index}});
  ScanDone done = std::move(pairing.done);
  session.pairing.reset();
  forget_refs(session);
  Node restart = stream_error(515);
  world_.end(session, &restart, "paired: restart required");
  done(std::move(result));
}

void Pairing::refuse(Session& session, const std::string& reason, bool end_stream, Errc code) {
  spdlog::info("pairing on connection {} refused: {}", session.id, reason);
  std::string jid;
  ScanDone done;
  if (session.pairing) {
    if (Account* account = world_.directory().by_phone(session.pairing->phone))
      jid = account->pn_jid(session.pairing->device).to_string();
    done = std::move(session.pairing->done);
    session.pairing.reset();
  }
  world_.event("pairing_refused", {{"connection", session.id}, {"jid", jid}, {"reason", reason}});
  if (end_stream) {
    Node error = stream_error(401);
    world_.end(session, &error, "pairing refused: " + reason);
  }
  if (done) done(make_error(code, "pairing refused: " + reason));
}

void Pairing::on_session_closed(Session& session, const std::string& reason) {
  codes_.on_session_closed(session);
  if (session.pairing) refuse(session, "the client closed the connection (" + reason + ")", false);
  forget_refs(session);
  if (session.ref_timer) session.ref_timer->cancel();
}

}  // namespace wacrm::wasim
