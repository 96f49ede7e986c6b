#include "wasim/pairing_code.h"

#include <boost/asio/post.hpp>
#include <openssl/rand.h>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "noise/key_pair.h"
#include "wa/pairing_code.h"
#include "wasim/base64.h"
#include "wasim/pairing.h"
#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

using wire::Node;

constexpr int kBadRequest = 400;
constexpr int kNotFound = 404;

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  RAND_bytes(out.data(), static_cast<int>(n));
  return out;
}

Bytes content_of(const Node& parent, std::string_view tag) {
  const Node* child = parent.child(tag);
  if (!child) return {};
  if (const Bytes* bytes = child->bytes()) return *bytes;
  if (const std::string* text = child->text()) return Bytes(text->begin(), text->end());
  return {};
}

Result<Bytes> x25519(ByteView private_key, ByteView peer_public) {
  if (private_key.size() != noise::kKeySize) return make_error(Errc::malformed, "private key size");
  noise::SecretKey key(std::span<const std::uint8_t, noise::kKeySize>(private_key.data(), noise::kKeySize));
  auto shared = WACRM_TRY(noise::x25519(key, peer_public));
  auto view = shared.view();
  return Bytes(view.begin(), view.end());
}

}  // namespace

Node PairingCodes::on_companion_reg(Session& session, const Node& iq) {
  const Node* reg = iq.child("link_code_companion_reg");
  auto id = iq.attr_or("id");
  if (!reg || session.role != Session::Role::registering || !session.registration)
    return iq_error(id, kBadRequest, "bad-request");
  auto stage = reg->attr_or("stage");
  if (stage == "companion_hello") return on_hello(session, iq, *reg);
  if (stage == "companion_finish") return on_finish(session, iq, *reg);
  return iq_error(id, kBadRequest, "bad-request");
}

Node PairingCodes::on_hello(Session& session, const Node& iq, const Node& reg) {
  auto id = iq.attr_or("id");
  auto jid = reg.attr_jid("jid");
  Bytes wrapped = content_of(reg, "link_code_pairing_wrapped_companion_ephemeral_pub");
  Bytes noise_key = content_of(reg, "companion_server_auth_key_pub");
  // The server checks what the phone will list (notes: 400 for an odd display).
  if (!jid || wrapped.size() != wa::kWrappedKeySize || noise_key != session.registration->noise_key ||
      content_of(reg, "companion_platform_display").empty() || content_of(reg, "companion_platform_id").empty())
    return iq_error(id, kBadRequest, "bad-request");
  if (!world_.directory().by_phone(jid->user())) return iq_error(id, kNotFound, "item-not-found");
  Attempt attempt;
  attempt.phone = jid->user();
  attempt.ref = "2@" + base64_encode(random_bytes(24));
  attempt.wrapped_companion_ephemeral = std::move(wrapped);
  std::string ref = attempt.ref;
  attempts_[session.id] = std::move(attempt);
  world_.event("code_pairing_started", {{"connection", session.id}, {"phone", jid->user()}, {"ref", ref}});
  return iq_result(id, {Node("link_code_companion_reg", {},
                             Node::Children{bytes_node("link_code_pairing_ref", Bytes(ref.begin(), ref.end()))})});
}

void PairingCodes::enter_code(const std::string& phone, const std::string& typed, std::chrono::milliseconds timeout,
                              ScanDone done) {
  auto code = wa::parse_pairing_code(typed);
  if (!code) return done(std::unexpected(code.error()));
  Account* account = world_.directory().by_phone(phone);
  if (!account) return done(make_error(Errc::not_found, "no account '" + phone + "'"));
  // The newest client waiting for a code of this number (as the phone's list of requests).
  auto it = std::find_if(attempts_.rbegin(), attempts_.rend(),
                         [&](const auto& entry) { return entry.second.phone == phone && !entry.second.done; });
  Session* session = it == attempts_.rend() ? nullptr : world_.session(it->first);
  if (!session) return done(make_error(Errc::not_found, "no client is waiting for a pairing code of " + phone));
  Attempt& attempt = it->second;
  // A wrong code unwraps to the wrong key without noticing (AES-CTR): the
  // key bundle will not open at companion_finish, as with a real phone.
  auto companion_ephemeral = wa::unwrap_with_code(*code, attempt.wrapped_companion_ephemeral);
  auto primary = noise::KeyPair::generate();
  if (!companion_ephemeral || !primary)
    return done(std::unexpected(!companion_ephemeral ? companion_ephemeral.error() : primary.error()));
  auto wrapped_primary = wa::wrap_with_code(*code, Bytes(primary->public_key().begin(), primary->public_key().end()),
                                            random_bytes(32), random_bytes(16));
  if (!wrapped_primary) return done(std::unexpected(wrapped_primary.error()));
  attempt.code = *code;
  attempt.companion_ephemeral = std::move(*companion_ephemeral);
  auto priv = primary->private_key().view();
  attempt.primary_ephemeral_private.assign(priv.begin(), priv.end());
  attempt.timeout = timeout;
  attempt.done = std::move(done);

  const auto& identity_public = account->phone_keys.identity.identity_public;
  Node reg("link_code_companion_reg", {{"stage", "primary_hello"}},
           Node::Children{bytes_node("link_code_pairing_ref", Bytes(attempt.ref.begin(), attempt.ref.end())),
                          bytes_node("link_code_pairing_wrapped_primary_ephemeral_pub", *wrapped_primary),
                          bytes_node("primary_identity_pub", identity_public)});
  Node notification("notification",
                    {{"from", server_jid()},
                     {"type", "link_code_companion_reg"},
                     {"id", world_.new_stanza_id()},
                     {"t", std::to_string(unix_now())}},
                    Node::Children{std::move(reg)});
  session->connection->send(notification);
  world_.event("code_entered", {{"connection", session->id}, {"phone", phone}});
}

Node PairingCodes::on_finish(Session& session, const Node& iq, const Node& reg) {
  auto id = iq.attr_or("id");
  auto it = attempts_.find(session.id);
  if (it == attempts_.end() || !it->second.done) return iq_error(id, kBadRequest, "bad-request");
  Attempt attempt = std::move(it->second);
  attempts_.erase(it);
  auto fail = [&](const std::string& why) {
    spdlog::info("code pairing on connection {} refused: {}", session.id, why);
    world_.event("pairing_refused", {{"connection", session.id}, {"jid", ""}, {"reason", why}});
    attempt.done(make_error(Errc::conflict, "pairing refused: " + why));
    return iq_error(id, kBadRequest, "bad-request");
  };
  Account* account = world_.directory().by_phone(attempt.phone);
  if (!account) return fail("the account went away");
  std::string ref = [&] {
    Bytes bytes = content_of(reg, "link_code_pairing_ref");
    return std::string(bytes.begin(), bytes.end());
  }();
  if (ref != attempt.ref) return fail("companion_finish names another ref");
  Bytes companion_identity = content_of(reg, "companion_identity_public");
  if (companion_identity != session.registration->identity_key)
    return fail("companion_identity_public is not the identity the client registered with");
  auto shared = x25519(attempt.primary_ephemeral_private, attempt.companion_ephemeral);
  if (!shared) return fail("the companion's ephemeral key is unusable (wrong code?)");
  auto bundle = wa::open_key_bundle(*shared, content_of(reg, "link_code_pairing_wrapped_key_bundle"));
  if (!bundle) return fail("the key bundle does not open (wrong code?): " + bundle.error().message);
  const auto& phone_identity = account->phone_keys.identity;
  if (bundle->size() != 96 || !std::equal(companion_identity.begin(), companion_identity.end(), bundle->begin()) ||
      !std::equal(phone_identity.identity_public.begin(), phone_identity.identity_public.end(), bundle->begin() + 32))
    return fail("the key bundle does not name the companion and this phone");
  auto shared_identity = x25519(phone_identity.identity_private, companion_identity);
  if (!shared_identity) return fail("the companion identity key is unusable");
  auto adv_secret = wa::code_adv_secret(*shared, *shared_identity, ByteView(*bundle).subspan(64, 32));
  if (!adv_secret) return fail("cannot derive the adv secret");

  // Answer first; the pair-success follows it, as from the real server.
  std::uint64_t session_id = session.id;
  boost::asio::post(world_.io(), [this, session_id, phone = attempt.phone, adv = std::move(*adv_secret),
                                  timeout = attempt.timeout, done = std::move(attempt.done)]() mutable {
    Session* s = world_.session(session_id);
    Account* a = world_.directory().by_phone(phone);
    if (!s || !a || !s->registration) return done(make_error(Errc::unavailable, "the client went away"));
    if (s->pairing) return done(make_error(Errc::conflict, "a pairing with that client is already under way"));
    pairing_.send_pair_success(*s, *a, adv, timeout, std::move(done));
  });
  world_.event("code_pairing_finished", {{"connection", session_id}, {"phone", attempt.phone}});
  return iq_result(id);
}

void PairingCodes::on_session_closed(Session& session) {
  auto it = attempts_.find(session.id);
  if (it == attempts_.end()) return;
  ScanDone done = std::move(it->second.done);
  attempts_.erase(it);
  if (done) done(make_error(Errc::unavailable, "the client closed the connection before the pairing finished"));
}

}  // namespace wacrm::wasim
