#include "wasim/login.h"

#include <spdlog/spdlog.h>

#include "wasim/simulated_people.h"
#include "wasim/stanzas.h"
#include "wasim/world.h"

namespace wacrm::wasim {

using wire::Node;

namespace {

// <failure reason …/> with the attributes each reason carries (notes 01 §8.1).
Node failure_node(const LoginFailure& injected) {
  Node node = failure(injected.reason);
  if (injected.reason == 402) {
    node.set_attr("code", std::to_string(injected.ban_code));
    node.set_attr("expire", std::to_string(injected.expire));
  } else if (injected.reason == 403) {
    node.set_attr("logout_message_header", injected.header);
    node.set_attr("logout_message_subtext", injected.subtext);
  }
  return node;
}

}  // namespace

void Login::start(Session& session, const PayloadDecision& decision) {
  Account* account = world_.directory().by_phone(decision.phone);
  DeviceId device{decision.phone, decision.device};
  std::string jid = account->pn_jid(decision.device).to_string();
  if (auto injected = world_.faults().take_login_failure(jid)) {
    std::string why = "injected login failure " + std::to_string(injected->reason);
    world_.event("fault_used", {{"connection", session.id}, {"fault", "login_failure:" + std::to_string(injected->reason)}});
    world_.event("login_refused",
                 {{"connection", session.id}, {"jid", jid}, {"reason", why}, {"failure", injected->reason}});
    Node refusal = failure_node(*injected);
    world_.end(session, &refusal, "refused: " + why);
    return;
  }
  if (Session* old = world_.online(device); old && old != &session) {
    Node replaced = stream_error(0, {Node("conflict", {{"type", "replaced"}})});
    world_.end(*old, &replaced, "replaced by connection " + std::to_string(session.id));
  }
  session.role = Session::Role::logged_in;
  session.device = device;
  world_.set_online(session);
  Companion* companion = account->companion(decision.device);
  session.connection->send(Node("success", {{"t", std::to_string(unix_now())},
                                            {"props", "25"},
                                            {"abprops", "1"},
                                            {"location", "wasim"},
                                            {"lid", account->lid_jid(decision.device).to_string()},
                                            {"creation", std::to_string(companion->paired_at)}}));
  world_.event("login", {{"connection", session.id},
                         {"jid", jid},
                         {"dict_version", static_cast<int>(session.connection->dict_version())},
                         {"passive", decision.passive},
                         {"version", decision.version.to_string()}});
}

void Login::on_active(Session& session) {
  if (session.active || !session.device) return;
  session.active = true;
  session.active_since = std::chrono::steady_clock::now();
  auto pending = world_.queue().unsent(*session.device, session.id);
  for (PendingStanza* stanza : pending) world_.write_pending(session, *stanza, true);
  session.offline_count = pending.size();
  maybe_end_offline(session);
}

void Login::on_confirmed(Session& session, bool key_share) {
  if (key_share) session.key_share_confirmed_at = std::chrono::steady_clock::now();
  if (session.active && !session.offline_done) maybe_end_offline(session);
}

void Login::maybe_end_offline(Session& session) {
  if (session.offline_done || !session.device) return;
  // Baileys 6 emits nothing until it holds an app-state key; it stores the
  // key after acking it, so the <ib> waits for the confirmation and a bit more.
  if (world_.queue().has_unconfirmed_key_share(*session.device)) return;
  auto now = std::chrono::steady_clock::now();
  if (session.key_share_confirmed_at) {
    auto release = *session.key_share_confirmed_at + world_.options().key_share_hold;
    if (now < release) {
      if (!session.hold_timer) session.hold_timer = std::make_unique<boost::asio::steady_timer>(world_.io());
      session.hold_timer->expires_at(release);
      std::uint64_t id = session.id;
      session.hold_timer->async_wait([this, id](boost::system::error_code ec) {
        if (Session* s = world_.session(id); !ec && s) maybe_end_offline(*s);
      });
      return;
    }
  }
  session.offline_done = true;
  session.connection->send(
      Node("ib", {}, Node::Children{Node("offline", {{"count", std::to_string(session.offline_count)}})}));
  auto held = std::chrono::duration_cast<std::chrono::milliseconds>(now - session.active_since).count();
  world_.event("offline_flushed",
               {{"jid", world_.device_jid(session)}, {"count", session.offline_count}, {"held_ms", held}});
  world_.people().on_device_ready(*session.device);
}

void Login::after_pre_key_upload(Session& session) {
  Account* account = world_.directory().by_phone(session.device->phone);
  Companion* companion = account ? account->companion(session.device->device) : nullptr;
  if (!companion || companion->key_share_sent) return;
  if (auto shared = world_.people().send_key_share(*account, companion->device); !shared) {
    spdlog::warn("Failed to send the app-state key share to '{}': {}", world_.device_jid(session),
                 shared.error().to_string());
    return;
  }
  companion->key_share_sent = true;
  world_.mark_dirty();
}

}  // namespace wacrm::wasim
