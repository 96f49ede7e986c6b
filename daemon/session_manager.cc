#include "session_manager.h"

#include <google/protobuf/timestamp.pb.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>

#include "control/login.pb.h"
#include "control/method_table.h"
#include "control/pool_runner.h"
#include "control/status_method.h"
#include "store/pg/pg_account_repository.h"
#include "store/pg/pg_credentials_store.h"
#include "wa/pairing_code.h"
#include "whatsapp_config.h"
#include "wire/jid.h"

namespace wacrm::daemon {

namespace {

using Phase = wa::SessionState::Phase;

void set_time(google::protobuf::Timestamp& out, wa::SessionState::Time t) {
  if (t == wa::SessionState::Time{}) return;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  out.set_seconds(ms / 1000);
  out.set_nanos(static_cast<std::int32_t>(ms % 1000) * 1'000'000);
}

control::SessionState::Phase phase_message(Phase phase) {
  switch (phase) {
    case Phase::idle: return control::SessionState::PHASE_IDLE;
    case Phase::connecting: return control::SessionState::PHASE_CONNECTING;
    case Phase::waiting_for_qr: return control::SessionState::PHASE_WAITING_FOR_QR;
    case Phase::connected: return control::SessionState::PHASE_CONNECTED;
    case Phase::reconnecting: return control::SessionState::PHASE_RECONNECTING;
    case Phase::logged_out: return control::SessionState::PHASE_LOGGED_OUT;
    case Phase::stopped: return control::SessionState::PHASE_STOPPED;
  }
  return control::SessionState::PHASE_IDLE;
}

control::LoginUpdate login_update(const std::string& account, const wa::SessionState& state) {
  control::LoginUpdate update;
  update.set_account(account);
  auto* out = update.mutable_state();
  out->set_phase(phase_message(state.phase));
  set_time(*out->mutable_since(), state.since);
  out->set_reason(state.reason);
  set_time(*out->mutable_retry_at(), state.retry_at);
  out->set_qr(state.qr);
  out->set_pairing_code(state.pairing_code);
  set_time(*out->mutable_qr_expires_at(), state.qr_expires_at);
  out->set_jid(state.jid);
  out->set_description(state.describe(std::chrono::system_clock::now()));
  if (auto jid = wire::Jid::parse(state.jid); jid && !state.jid.empty()) {
    update.set_phone(jid->user());
    update.set_device(jid->device());
  }
  return update;
}

// How a linking attempt that ended without a link reads to the client.
Error login_failure(const wa::SessionState& state) {
  Errc code = Errc::conflict;
  switch (state.last_disconnect) {
    case wa::DisconnectKind::pairing_timed_out: code = Errc::timeout; break;
    case wa::DisconnectKind::connect_failed:
    case wa::DisconnectKind::network:
    case wa::DisconnectKind::server_closed: code = Errc::unavailable; break;
    default: break;
  }
  return Error{code, "linking failed: " + state.reason};
}

}  // namespace

Result<std::unique_ptr<SessionManager>> SessionManager::create(boost::asio::io_context& io, store::PgPool& pool,
                                                               control::PoolRunner& runner,
                                                               const config::DaemonConfig& config) {
  auto client = WACRM_TRY(whatsapp_client_config(config));
  auto signal = WACRM_TRY(signal::Context::create());
  return std::unique_ptr<SessionManager>(new SessionManager(io, pool, runner, std::move(client), std::move(signal)));
}

SessionManager::SessionManager(boost::asio::io_context& io, store::PgPool& pool, control::PoolRunner& runner,
                               wa::ClientConfig config, signal::Context signal)
    : io_(io),
      runner_(runner),
      store_(pool),
      message_store_(pool),
      signal_(std::move(signal)),
      env_{io, std::move(config), store_, signal_} {}

SessionManager::~SessionManager() { stop(); }

void SessionManager::register_methods(control::MethodTable& table, control::StatusSource& status) {
  control::register_login_methods(table, *this);
  status.connected = [this](std::int64_t account_id) { return connected(account_id); };
  status.session = [this](std::int64_t account_id) { return describe(account_id); };
}

void SessionManager::start() {
  runner_.run<std::vector<store::Account>>(
      [](store::PgConnection& conn) { return store::PgAccountRepository(conn).list(); },
      [this](Result<std::vector<store::Account>> accounts) {
        if (stopping_) return;
        if (!accounts) {
          spdlog::error("Failed to list the accounts to log in: {}", accounts.error().message);
          return;
        }
        int linked = 0;
        for (const auto& account : *accounts) {
          if (account.link_state != store::LinkState::linked) continue;
          start_session(account.id, account.name, wa::Session::Mode::resume);
          ++linked;
        }
        if (linked > 0) spdlog::info("Logging in {} linked account(s)", linked);
      });
}

void SessionManager::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& [id, entry] : sessions_) {
    if (entry.login) {
      auto login = std::move(*entry.login);
      entry.login.reset();
      login.finish(make_error(Errc::unavailable, "wacrmd is shutting down"));
    }
    if (entry.session) entry.session->stop("wacrmd is shutting down");
  }
}

void SessionManager::end_session(std::int64_t account_id, std::function<void()> ended) {
  auto it = sessions_.find(account_id);
  if (it == sessions_.end() || !it->second.session) {
    if (it != sessions_.end()) sessions_.erase(it);
    receivers_.erase(account_id);
    return ended();
  }
  auto session = it->second.session;
  // The stopped state reaches a waiting login through on_state, which ends it.
  session->stop("the account is being removed", [this, account_id, session, ended = std::move(ended)] {
    auto it = sessions_.find(account_id);
    if (it != sessions_.end() && it->second.session == session) sessions_.erase(it);
    receivers_.erase(account_id);
    ended();
  });
}

std::shared_ptr<wa::Session> SessionManager::start_session(std::int64_t id, const std::string& name,
                                                           wa::Session::Mode mode, std::string phone) {
  auto& entry = sessions_[id];
  receivers_.erase(id);  // a new session may be a new link: our own JIDs are read again
  // Detached first, so the old session's last state reaches no login stream.
  if (auto old = std::move(entry.session)) old->stop("replaced by a new session");
  entry.session = wa::Session::create(env_, wa::AccountRef{id, name}, *this);
  entry.session->start(mode, std::move(phone));
  return entry.session;
}

void SessionManager::login(const std::string& account, const std::string& typed_phone, LoginStream stream) {
  if (stopping_) return stream.finish(make_error(Errc::unavailable, "wacrmd is shutting down"));
  std::string phone;
  if (!typed_phone.empty()) {
    auto normalized = wa::normalize_phone_number(typed_phone);
    if (!normalized) return stream.finish(std::unexpected(normalized.error()));
    phone = std::move(*normalized);
  }
  runner_.run<store::Account>(
      [account](store::PgConnection& conn) { return store::PgAccountRepository(conn).find(account); },
      [this, account, phone, stream](Result<store::Account> found) mutable {
        if (stopping_) return stream.finish(make_error(Errc::unavailable, "wacrmd is shutting down"));
        if (!found) return stream.finish(std::unexpected(found.error()));
        if (found->link_state == store::LinkState::linked)
          return stream.finish(make_error(Errc::already_exists,
                                          "account '" + account + "' is already linked as " + found->jid.value_or("?") +
                                              "; log out first (wacrmctl logout " + account + ")"));
        auto& entry = sessions_[found->id];
        const auto phase = entry.session ? entry.session->state().phase : Phase::idle;
        if (entry.session && entry.session->running() && entry.session->state().linking &&
            phase != Phase::stopped && phase != Phase::logged_out) {
          // Someone is linking this account already (say, an interrupted
          // wacrmctl): the newest request takes over the QR codes.
          if (entry.login) entry.login->finish(make_error(Errc::cancelled, "another login of '" + account + "' took over"));
          entry.login = std::move(stream);
          entry.login->update(login_update(account, entry.session->state()));
          return;
        }
        entry.login = std::move(stream);
        start_session(found->id, account, wa::Session::Mode::link, phone);
      });
}

void SessionManager::logout(const std::string& account, std::function<void(Result<control::LogoutResponse>)> done) {
  runner_.run<store::Account>(
      [account](store::PgConnection& conn) { return store::PgAccountRepository(conn).find(account); },
      [this, account, done](Result<store::Account> found) {
        if (!found) return done(std::unexpected(found.error()));
        auto respond = [account, done](Result<wa::LogoutResult> result) {
          if (!result) return done(std::unexpected(result.error()));
          control::LogoutResponse out;
          out.set_account(account);
          out.set_jid(result->jid);
          out.set_server_notified(result->server_notified);
          spdlog::info("Account '{}': logged out{}", account,
                       result->server_notified ? "" : " locally (the server could not be told)");
          done(std::move(out));
        };
        auto it = sessions_.find(found->id);
        if (it != sessions_.end() && it->second.session) return it->second.session->logout(respond);
        if (found->link_state != store::LinkState::linked)
          return done(make_error(Errc::invalid_argument, "account '" + account + "' is not linked"));
        // Linked, but without a session here: nothing to tell the server with.
        std::int64_t id = found->id;
        std::string jid = found->jid.value_or("");
        runner_.run<bool>(
            [id](store::PgConnection& conn) -> Result<bool> {
              WACRM_TRY(store::PgCredentialsStore(conn, id).wipe("logged out by the user while offline"));
              return true;
            },
            [respond, jid](Result<bool> wiped) {
              if (!wiped) return respond(std::unexpected(wiped.error()));
              respond(wa::LogoutResult{false, jid});
            });
      });
}

bool SessionManager::connected(std::int64_t account_id) const {
  auto it = sessions_.find(account_id);
  return it != sessions_.end() && it->second.session && it->second.session->state().phase == Phase::connected;
}

std::string SessionManager::describe(std::int64_t account_id) const {
  auto it = sessions_.find(account_id);
  if (it == sessions_.end() || !it->second.session) return {};
  return it->second.session->state().describe(std::chrono::system_clock::now());
}

void SessionManager::on_state(wa::Session& session, const wa::SessionState& state) {
  log_state(session, state);
  if (sink_.state) sink_.state(login_update(session.account().name, state));
  auto it = sessions_.find(session.account().id);
  if (it == sessions_.end() || it->second.session.get() != &session || !it->second.login) return;
  auto& entry = it->second;
  control::LoginUpdate update = login_update(session.account().name, state);
  switch (state.phase) {
    case Phase::connected: {
      auto login = std::move(*entry.login);
      entry.login.reset();
      login.finish(std::move(update));
      break;
    }
    case Phase::stopped:
    case Phase::logged_out: {
      auto login = std::move(*entry.login);
      entry.login.reset();
      login.finish(std::unexpected(login_failure(state)));
      break;
    }
    case Phase::idle:
      break;
    default:
      entry.login->update(update);
  }
}

bool SessionManager::on_stanza(wa::Session& session, const wire::Node& stanza) {
  wa::MessageReceiver* receiver = receiver_for(session);
  if (!receiver) return false;  // unacknowledged: the server delivers it again at the next login
  return receiver->take(stanza, [weak = session.weak_from_this()](const wire::Node& node) {
    if (auto live = weak.lock()) (void)live->send(node);
  });
}

void SessionManager::on_group_answer(wa::Session& session, const wire::Node& answer) {
  if (wa::MessageReceiver* receiver = receiver_for(session)) receiver->take_group_answer(answer);
}

wa::MessageReceiver* SessionManager::receiver_for(const wa::Session& session) {
  const std::int64_t id = session.account().id;
  const std::string name = session.account().name;
  if (auto it = receivers_.find(id); it != receivers_.end()) return it->second.get();
  auto made = wa::MessageReceiver::create(io_.get_executor(), message_store_);
  if (!made) {
    spdlog::error("Account '{}': cannot receive messages: {}", name, made.error().message);
    return nullptr;
  }
  wa::MessageReceiver* receiver = receivers_.emplace(id, std::move(*made)).first->second.get();
  // Issue 6's crash test: with this set, wacrmd kills itself (SIGKILL, as kill -9)
  // between writing a message with its Signal state and the commit.
  if (const char* kill = std::getenv("WACRM_TEST_KILL_BEFORE_COMMIT"); kill && std::string_view(kill) == "1")
    receiver->set_before_commit([] {
      std::raise(SIGKILL);
      return Status{};
    });
  if (sink_.message)
    receiver->on_event([this, name](const wa::MessageEvent& event) { sink_.message(name, event); });
  // Back-pressure: a full queue stops the account's session reading from the
  // server until the queue is down again (wa::MessageReceiver::on_full).
  receiver->on_full([this, id](bool full) {
    if (auto it = sessions_.find(id); it != sessions_.end() && it->second.session)
      it->second.session->set_reading_paused(full);
  });
  receiver->on_error([name](const wire::Node& stanza, const Error& error) {
    if (stanza.tag == "iq")  // our groups query's answer: asked again at the next login
      spdlog::warn("Account '{}': failed to store the list of groups (asked again at the next login): {}", name,
                   error.message);
    else
      spdlog::warn("Account '{}': failed to store <{}> '{}', left for the server to deliver again: {}", name,
                   stanza.tag, stanza.attr_or("id"), error.message);
  });
  // Stanzas wait in the receiver until it knows our own JIDs (to tell our
  // messages from theirs): from the credentials the session logged in with.
  runner_.run<wa::OwnIdentity>(
      [id](store::PgConnection& conn) -> Result<wa::OwnIdentity> {
        auto credentials = WACRM_TRY(store::PgCredentialsStore(conn, id).load());
        if (!credentials || !credentials->linked) return make_error(Errc::not_found, "the account is not linked");
        wa::OwnIdentity own;
        own.pn = WACRM_TRY(wire::Jid::parse(credentials->linked->jid));
        if (!credentials->linked->lid.empty()) own.lid = WACRM_TRY(wire::Jid::parse(credentials->linked->lid));
        return own;
      },
      [this, id, name, receiver](Result<wa::OwnIdentity> own) {
        auto it = receivers_.find(id);
        if (it == receivers_.end() || it->second.get() != receiver) return;  // replaced meanwhile
        if (!own) {
          spdlog::error("Account '{}': cannot receive messages: {}", name, own.error().message);
          return;
        }
        receiver->configure(wa::MessageHandlerConfig{id, *own, false});
      });
  return receiver;
}

void SessionManager::log_state(const wa::Session& session, const wa::SessionState& state) const {
  const auto& name = session.account().name;
  auto text = state.describe(std::chrono::system_clock::now());
  switch (state.phase) {
    case Phase::connected:
      spdlog::info("Account '{}': connected as {}", name, state.jid);
      break;
    case Phase::reconnecting:
      spdlog::warn("Account '{}': {}", name, text);
      break;
    case Phase::logged_out:
    case Phase::stopped:
      spdlog::warn("Account '{}': {}", name, text);
      break;
    default:
      spdlog::debug("Account '{}': {}", name, text);
  }
}

}  // namespace wacrm::daemon
