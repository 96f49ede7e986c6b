#include "wa/session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>

#include <spdlog/spdlog.h>

#include "signal/address.h"
#include "signal/keys.h"
#include "wa/client_payload.h"
#include "wa/connection.h"
#include "wa/credentials.h"
#include "wa/group_info.h"
#include "wa/iq.h"
#include "wa/logout.h"
#include "wa/pairing.h"
#include "wa/prekeys.h"

namespace wacrm::wa {

// A rule in every coroutine here: arguments of a co_awaited call are named
// locals moved in, never temporaries. GCC 12 mishandles the lifetime of
// temporaries inside co_await expressions (double destruction / use after
// free was observed with a lambda holding strings).

namespace asio = boost::asio;
using Phase = SessionState::Phase;
using SystemClock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;

namespace {

// Stores the primary device's identity key (the account signature key) as a
// trusted Signal identity of device 0: under the LID when we know it, as
// whatsmeow does (notes 01 §6.5 step 7), else under the phone number.
Status trust_primary_identity(store::SignalStore& signal_store, const store::LinkedDevice& device,
                              ByteView account_key) {
  auto own = wire::Jid::parse(device.lid.empty() ? device.jid : device.lid);
  if (!own) return std::unexpected(own.error());
  signal::Address primary = WACRM_TRY(signal::signal_address_for(own->user(), own->server(), 0));
  Bytes key = WACRM_TRY(signal::signal_public_key(account_key));
  return signal_store.save_identity(primary.name, primary.device, key);
}

// <iq xmlns="passive" type="set"><active/></iq>: pairs with login passive = true (notes 01 §7.3).
// Built outside the coroutines: GCC 12 miscompiles initializer lists inside them.
wire::Node active_iq() { return make_iq("set", "passive", {wire::Node("active")}); }

std::chrono::milliseconds until(SteadyClock::time_point when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - SteadyClock::now());
}

}  // namespace

std::shared_ptr<Session> Session::create(SessionEnv& env, AccountRef account, SessionObserver& observer) {
  return std::shared_ptr<Session>(new Session(env, std::move(account), observer));
}

Session::Session(SessionEnv& env, AccountRef account, SessionObserver& observer)
    : env_(env),
      account_(std::move(account)),
      observer_(observer),
      backoff_(env.config.backoff_initial, env.config.backoff_max, std::random_device{}()),
      closed_signal_(env.io),
      retry_timer_(env.io),
      qr_timer_(env.io) {}

Session::~Session() {
  if (connection_) connection_->close(Error{Errc::cancelled, "session destroyed"});
}

template <class F>
void Session::spawn(F&& coroutine_factory) {
  // Nothing here should throw; if something does (a bug), this session stops
  // with the reason as its state, which the daemon logs; other accounts go on.
  std::weak_ptr<Session> weak = weak_from_this();
  asio::co_spawn(env_.io, std::forward<F>(coroutine_factory), [weak](std::exception_ptr e) {
    if (!e) return;
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    if (auto self = weak.lock()) self->stop("internal error: " + what);
  });
}

void Session::start(Mode mode, std::string phone) {
  if (running_) return;
  mode_ = mode;
  code_phone_ = std::move(phone);
  running_ = true;
  stopping_ = false;
  state_.linking = mode == Mode::link;
  spawn([self = shared_from_this()]() { return self->run(); });
}

void Session::set_phase(Phase phase, std::string reason) {
  state_.phase = phase;
  state_.since = SystemClock::now();
  state_.reason = std::move(reason);
  if (phase != Phase::waiting_for_qr) {
    state_.qr.clear();
    state_.pairing_code.clear();
    state_.qr_expires_at = {};
  }
  publish();
}

void Session::publish() { observer_.on_state(*this, state_); }

Status Session::send(const wire::Node& node) {
  if (!connection_ || !connection_->is_open()) return make_error(Errc::unavailable, "not connected");
  return connection_->send(node);
}

// --- the flow

asio::awaitable<void> Session::run() {
  auto keep_alive = shared_from_this();
  if (co_await load_credentials()) {
    while (!stopping_) {
      set_phase(Phase::connecting);
      Disconnect disconnect = co_await connect_and_serve();
      if (stopping_) break;
      state_.last_disconnect = disconnect.kind;
      spdlog::debug("wa: account '{}': connection ended: {} ({})", account_.name, disconnect.reason,
                    disconnect_kind_name(disconnect.kind));
      if (disconnect.logs_out()) {
        std::string why = disconnect.reason;
        if (auto wiped = co_await wipe(std::move(why)); !wiped)
          spdlog::debug("wa: account '{}': wiping credentials failed: {}", account_.name, wiped.error().message);
        set_phase(Phase::logged_out, disconnect.reason);
        break;
      }
      // Before pairing completed, any ending ends the linking attempt.
      if (!disconnect.retries() || !credentials_ || !credentials_->linked) {
        set_phase(Phase::stopped, disconnect.reason);
        break;
      }
      if (disconnect.kind == DisconnectKind::restart_required) continue;
      auto delay = disconnect.retry_after ? std::chrono::duration_cast<std::chrono::milliseconds>(*disconnect.retry_after)
                                          : backoff_.next();
      state_.retry_at = SystemClock::now() + delay;
      set_phase(Phase::reconnecting, disconnect.reason);
      retry_timer_.expires_after(delay);
      co_await wait(retry_timer_);
    }
  }
  running_ = false;
  for (auto& finished : std::exchange(on_finished_, {})) finished();
}

asio::awaitable<bool> Session::load_credentials() {
  StoreWork<std::optional<store::DeviceCredentials>> load = [](AccountStores& stores) {
    return stores.credentials().load();
  };
  auto loaded = co_await run_on_store(env_.store, account_.id, std::move(load));
  if (stopping_) co_return false;
  if (!loaded) {
    set_phase(Phase::stopped, "cannot read the device credentials: " + loaded.error().message);
    co_return false;
  }
  if (*loaded) {
    credentials_ = std::move(**loaded);
    if (credentials_->linked) state_.jid = credentials_->linked->jid;
    co_return true;
  }
  if (mode_ != Mode::link) {
    set_phase(Phase::stopped, "this account has no linked device");
    co_return false;
  }
  // Made once per linking attempt and kept in memory only: they reach the
  // database together with a successful pairing, or not at all.
  auto fresh = generate_credentials(env_.signal);
  if (!fresh) {
    set_phase(Phase::stopped, "cannot generate device keys: " + fresh.error().message);
    co_return false;
  }
  credentials_ = std::move(*fresh);
  co_return true;
}

asio::awaitable<void> Session::wait(asio::steady_timer& timer) {
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<Disconnect> Session::connect_and_serve() {
  if (!credentials_) co_return Disconnect{DisconnectKind::stopped, "the device credentials are gone"};
  const bool linked = credentials_->linked.has_value();
  auto payload = client_payload(*credentials_, env_.config);
  auto noise_key = noise_key_pair(*credentials_);
  if (!payload || !noise_key)
    co_return Disconnect{DisconnectKind::stopped,
                         "unusable device credentials: " + (!payload ? payload.error() : noise_key.error()).message};
  auto opened = co_await Connection::open(env_.io, env_.config, std::move(*noise_key), std::move(*payload));
  if (stopping_) {
    if (opened) (*opened)->close(Error{Errc::cancelled, "session stopped"});
    co_return Disconnect{DisconnectKind::stopped, "stopped"};
  }
  if (!opened)
    co_return Disconnect{linked ? DisconnectKind::network : DisconnectKind::connect_failed,
                         "cannot connect to WhatsApp: " + opened.error().message};

  connection_ = std::move(*opened);
  disconnect_.reset();
  connection_closed_ = false;
  std::weak_ptr<Session> weak = shared_from_this();
  if (reading_paused_) connection_->pause_reading();
  connection_->start(
      [weak](const wire::Node& node) {
        if (auto self = weak.lock()) self->on_node(node);
      },
      [weak](const Error& error) {
        if (auto self = weak.lock()) self->on_connection_closed(error);
      });
  if (!linked) spdlog::debug("wa: account '{}': registering, waiting for pair-device", account_.name);
  closed_signal_.expires_at(SteadyClock::time_point::max());
  if (!connection_closed_) co_await wait(closed_signal_);
  connection_.reset();
  co_return disconnect_.value_or(Disconnect{DisconnectKind::network, "connection closed"});
}

void Session::set_reading_paused(bool paused) {
  if (paused == reading_paused_) return;
  reading_paused_ = paused;
  spdlog::debug("wa: account '{}': {} reading from the server", account_.name,
                paused ? "the message queue is full: paused" : "resumed");
  if (!connection_) return;
  paused ? connection_->pause_reading() : connection_->resume_reading();
}

void Session::on_connection_closed(const Error& error) {
  if (!disconnect_) {
    Disconnect d;
    d.kind = DisconnectKind::network;
    d.reason = error.code == Errc::timeout ? error.message : "connection lost: " + error.message;
    disconnect_ = std::move(d);
  }
  qr_timer_.cancel();
  qr_.reset();
  code_pairing_.reset();
  state_.pairing_code.clear();
  connection_closed_ = true;
  closed_signal_.cancel();
}

void Session::end_connection(Disconnect disconnect) {
  if (!disconnect_) disconnect_ = disconnect;
  if (connection_) connection_->close(Error{Errc::cancelled, disconnect.reason});
}

void Session::stop(std::string reason) {
  if (stopping_ || (!running_ && !connection_)) return;
  stopping_ = true;
  retry_timer_.cancel();
  qr_timer_.cancel();
  if (connection_) end_connection(Disconnect{DisconnectKind::stopped, reason});
  if (state_.phase != Phase::logged_out) set_phase(Phase::stopped, std::move(reason));
}

void Session::stop(std::string reason, std::function<void()> stopped) {
  stop(std::move(reason));
  if (running_)
    on_finished_.push_back(std::move(stopped));
  else
    asio::post(env_.io, std::move(stopped));
}

// --- incoming nodes

void Session::on_node(const wire::Node& node) {
  if (node.tag == "success") return on_success(node);
  if (node.tag == "failure") return end_connection(classify_failure(node));
  if (node.tag == "stream:error") return end_connection(classify_stream_error(node));
  if (node.tag == "xmlstreamend")
    return end_connection(Disconnect{DisconnectKind::server_closed, "the server ended the stream"});
  if (node.tag == "iq") return on_server_iq(node);
  if (node.tag == "ib") return on_ib(node);
  if (is_code_pairing_notification(node)) {
    (void)send(ack_for(node));
    spawn([self = shared_from_this(), node]() { return self->handle_code_entered(node); });
    return;
  }
  if (auto left = low_pre_key_notification(node)) {
    (void)send(ack_for(node));
    if (*left < kMinPreKeysOnServer && connection_) {
      auto connection = connection_;
      spawn([self = shared_from_this(), connection]() { return self->upload_pre_keys(connection, kPreKeyTopUpBatch); });
    }
    return;
  }
  if (!observer_.on_stanza(*this, node))
    spdlog::debug("wa: account '{}': <{}> id '{}' left unacknowledged (no handler yet)", account_.name, node.tag,
                  node.attr_or("id"));
}

void Session::on_server_iq(const wire::Node& iq) {
  auto type = iq.attr_or("type");
  if (type == "result" || type == "error") {
    spdlog::debug("wa: account '{}': iq answer '{}' matches no request", account_.name, iq.attr_or("id"));
    return;
  }
  if (is_server_iq_with(iq, "pair-device")) {
    auto pair_device = parse_pair_device(iq);
    if (!pair_device || !credentials_ || credentials_->linked) return;
    (void)send(iq_result(pair_device->iq_id));
    qr_.emplace(std::move(pair_device->refs), SteadyClock::now(), env_.config.first_ref_ttl, env_.config.ref_ttl);
    show_qr();
    // By pairing code: once per connection, on its first refs (they still time the attempt).
    if (!code_phone_.empty() && !code_pairing_ && connection_) {
      auto connection = connection_;
      spawn([self = shared_from_this(), connection]() { return self->send_companion_hello(connection); });
    }
    return;
  }
  if (is_server_iq_with(iq, "pair-success")) {
    spawn([self = shared_from_this(), iq]() { return self->handle_pair_success(iq); });
    return;
  }
  if (iq.attr_or("xmlns") == "urn:xmpp:ping") {
    (void)send(iq_result(iq.attr_or("id")));
    return;
  }
  observer_.on_stanza(*this, iq);
}

void Session::on_ib(const wire::Node& ib) {
  for (const auto& child : ib.child_nodes()) {
    if (child.tag == "downgrade_webclient")
      end_connection(Disconnect{DisconnectKind::pairing_refused,
                                "the phone that scanned the QR code does not support linked devices"});
    else
      spdlog::debug("wa: account '{}': ib <{}>", account_.name, child.tag);
  }
}

// --- linking

void Session::show_qr() {
  if (!qr_ || !connection_) return;
  auto shown = qr_->at(SteadyClock::now());
  if (!shown) {
    qr_.reset();
    end_connection(Disconnect{DisconnectKind::pairing_timed_out,
                              code_phone_.empty() ? "timed out: the QR code was not scanned in time"
                                                  : "timed out: the pairing code was not entered on the phone in time"});
    return;
  }
  // By pairing code the refs only time the attempt: no QR, one code valid
  // until the last ref expires.
  const bool by_code = !code_phone_.empty();
  const auto expires_at = by_code ? qr_->ends_at() : shown->expires_at;
  if (!by_code) state_.qr = qr_string(shown->ref, *credentials_, env_.config.platform);
  state_.qr_expires_at = SystemClock::now() + until(expires_at);
  state_.phase = Phase::waiting_for_qr;
  state_.since = SystemClock::now();
  state_.reason.clear();
  publish();
  qr_timer_.expires_at(expires_at);
  std::weak_ptr<Session> weak = shared_from_this();
  qr_timer_.async_wait([weak](const boost::system::error_code& ec) {
    if (auto self = weak.lock(); self && !ec) self->show_qr();
  });
}

asio::awaitable<void> Session::handle_pair_success(wire::Node iq) {
  if (!credentials_ || credentials_->linked || !connection_) co_return;
  auto connection = connection_;
  qr_timer_.cancel();
  qr_.reset();
  auto verified = verify_pair_success(iq, *credentials_);
  if (!verified) {
    (void)send(pairing_error_reply(iq.attr_or("id"), verified.error()));
    end_connection(Disconnect{DisconnectKind::pairing_refused, "pairing refused: " + verified.error().reason});
    co_return;
  }
  set_phase(Phase::connecting, "the phone scanned the QR code; saving the link");

  store::DeviceCredentials linked = *credentials_;
  linked.linked = verified->device;
  Bytes account_key = verified->account_signature_key;
  StoreWork<void> save = [linked, account_key](AccountStores& stores) {
    return stores.atomically([&]() -> Status {
      WACRM_TRY(stores.credentials().save_linked(linked));
      return trust_primary_identity(stores.signal(), *linked.linked, account_key);
    });
  };
  auto saved = co_await run_on_store(env_.store, account_.id, std::move(save));
  if (!saved) {
    PairingRefusal refusal{500, "internal-error", "cannot store the pairing: " + saved.error().message};
    (void)send(pairing_error_reply(verified->iq_id, refusal));
    end_connection(Disconnect{DisconnectKind::pairing_refused, refusal.reason});
    co_return;
  }
  if (connection != connection_ || !connection->is_open()) {
    // Stored, but the phone never got our signature: the link does not exist
    // on the server. Forget it again (as whatsmeow does when the send fails).
    std::string why = "pairing interrupted before it completed";
    (void)co_await wipe(std::move(why));
    co_return;
  }
  credentials_ = std::move(linked);
  state_.jid = credentials_->linked->jid;
  (void)send(pair_device_sign(*verified));
  send_unified_session();
  spdlog::debug("wa: account '{}': paired as {}; waiting for the restart", account_.name, state_.jid);
}

// Notes 01 §6.9 steps 1–4: a code and an ephemeral key, the key wrapped with
// the code, sent to the server; the code shown once the server took it.
asio::awaitable<void> Session::send_companion_hello(std::shared_ptr<Connection> connection) {
  if (!credentials_ || credentials_->linked) co_return;
  auto started = start_code_pairing(code_phone_);
  if (!started) {
    end_connection(Disconnect{DisconnectKind::pairing_refused, "cannot make a pairing code: " + started.error().message});
    co_return;
  }
  code_pairing_ = std::move(*started);
  auto hello = companion_hello_iq(*code_pairing_, credentials_->noise_public, qr_platform_id(env_.config.platform),
                                  platform_display(env_.config.platform, env_.config.device_name));
  if (!hello) {
    end_connection(Disconnect{DisconnectKind::pairing_refused, "cannot make a pairing code: " + hello.error().message});
    co_return;
  }
  wire::Node request = std::move(*hello);
  auto answer = co_await connection->query(std::move(request));
  if (connection != connection_ || !code_pairing_) co_return;  // the connection ended meanwhile
  auto ref = answer ? parse_companion_hello_answer(*answer) : Result<std::string>(std::unexpected(answer.error()));
  if (!ref) {
    end_connection(Disconnect{DisconnectKind::pairing_refused,
                              "WhatsApp refused a pairing code for +" + code_phone_ + ": " + ref.error().message});
    co_return;
  }
  code_pairing_->ref = std::move(*ref);
  state_.pairing_code = code_pairing_->code;
  publish();
}

// Steps 5–9: the phone typed the code; our adv secret becomes the derived
// one (pair-success is checked with it) before companion_finish goes out.
asio::awaitable<void> Session::handle_code_entered(wire::Node notification) {
  if (!code_pairing_ || code_pairing_->ref.empty() || !credentials_ || credentials_->linked || !connection_) co_return;
  auto connection = connection_;
  auto hello = parse_primary_hello(notification);
  auto finish = hello ? finish_code_pairing(*code_pairing_, *hello, credentials_->identity.identity_private,
                                            credentials_->identity.identity_public)
                      : Result<CompanionFinish>(std::unexpected(hello.error()));
  if (!finish) {
    end_connection(Disconnect{DisconnectKind::pairing_refused, "pairing by code failed: " + finish.error().message});
    co_return;
  }
  credentials_->adv_secret = finish->adv_secret;
  qr_timer_.cancel();  // the phone has it now: pair-success or an error follows
  qr_.reset();
  set_phase(Phase::connecting, "the pairing code was entered on the phone; finishing the link");
  wire::Node request = companion_finish_iq(*code_pairing_, *finish, credentials_->identity.identity_public);
  auto answer = co_await connection->query(std::move(request));
  if (!answer && connection == connection_)
    end_connection(Disconnect{DisconnectKind::pairing_refused,
                              "WhatsApp refused the pairing code's key bundle: " + answer.error().message});
}

// --- logged in

void Session::on_success(const wire::Node& node) {
  auto success = parse_success(node);
  if (!success || !credentials_ || !credentials_->linked) {
    end_connection(Disconnect{DisconnectKind::server_closed, "unexpected <success> for an unlinked device"});
    return;
  }
  backoff_.reset();
  if (success->server_time > 0)
    server_time_offset_ms_ =
        success->server_time * 1000 -
        std::chrono::duration_cast<std::chrono::milliseconds>(SystemClock::now().time_since_epoch()).count();
  if (!success->lid.empty() && success->lid != credentials_->linked->lid) {
    credentials_->linked->lid = success->lid;
    spawn([self = shared_from_this(), lid = success->lid]() -> asio::awaitable<void> {
      StoreWork<void> update = [lid](AccountStores& stores) { return stores.credentials().update_lid(lid); };
      auto updated = co_await run_on_store(self->env_.store, self->account_.id, std::move(update));
      if (!updated) spdlog::debug("wa: account '{}': storing the LID failed: {}", self->account_.name, updated.error().message);
    });
  }
  state_.jid = credentials_->linked->jid;
  set_phase(Phase::connected);
  auto connection = connection_;
  spawn([self = shared_from_this(), connection]() { return self->after_login(connection); });
}

asio::awaitable<void> Session::after_login(std::shared_ptr<Connection> connection) {
  // The order both reference clients use (notes 01 §7.3): pre-keys, then active.
  wire::Node count_query = pre_key_count_query();
  auto count = co_await connection->query(std::move(count_query));
  if (!credentials_ || connection != connection_) co_return;  // logged out or reconnected meanwhile
  if (count) {
    auto left = parse_pre_key_count(*count);
    std::uint32_t batch = left ? pre_keys_to_upload(*left, credentials_->server_has_pre_keys) : 0;
    if (batch > 0) {
      auto uploading_on = connection;
      co_await upload_pre_keys(std::move(uploading_on), batch);
    }
  } else {
    spdlog::debug("wa: account '{}': pre-key count query failed: {}", account_.name, count.error().message);
  }
  if (!connection->is_open()) co_return;
  wire::Node active = active_iq();
  auto activated = co_await connection->query(std::move(active));
  if (!activated) spdlog::debug("wa: account '{}': active iq failed: {}", account_.name, activated.error().message);
  if (connection == connection_) send_unified_session();
  // The groups we are in, for the subjects of those joined before we were linked.
  if (!connection->is_open()) co_return;
  wire::Node groups_query = participating_groups_query();
  auto groups = co_await connection->query(std::move(groups_query));
  if (!groups) spdlog::debug("wa: account '{}': groups query failed: {}", account_.name, groups.error().message);
  else if (connection == connection_) observer_.on_group_answer(*this, *groups);
}

asio::awaitable<void> Session::upload_pre_keys(std::shared_ptr<Connection> connection, std::uint32_t count) {
  if (uploading_pre_keys_) {
    // A low-count notification can arrive while an upload is in flight (it may
    // even report the count from before that upload): never drop it.
    top_up_after_upload_ = true;
    co_return;
  }
  uploading_pre_keys_ = true;
  StoreWork<std::vector<signal::PreKey>> prepare = [count](AccountStores& stores) {
    return prepare_pre_keys(stores, count);
  };
  auto keys = co_await run_on_store(env_.store, account_.id, std::move(prepare));
  if (!keys) {
    spdlog::debug("wa: account '{}': preparing pre-keys failed: {}", account_.name, keys.error().message);
  } else if (connection->is_open() && credentials_) {
    wire::Node upload = pre_key_upload(credentials_->identity, *keys);
    auto answer = co_await connection->query(std::move(upload));
    if (answer) {
      std::vector<std::uint32_t> ids;
      ids.reserve(keys->size());
      for (const auto& key : *keys) ids.push_back(key.id);
      StoreWork<void> record = [ids = std::move(ids)](AccountStores& stores) { return record_pre_key_upload(stores, ids); };
      auto recorded = co_await run_on_store(env_.store, account_.id, std::move(record));
      if (recorded && credentials_) credentials_->server_has_pre_keys = true;
      if (!recorded) spdlog::debug("wa: account '{}': recording the upload failed: {}", account_.name, recorded.error().message);
    } else {
      spdlog::debug("wa: account '{}': pre-key upload refused: {}", account_.name, answer.error().message);
    }
  }
  uploading_pre_keys_ = false;
  if (top_up_after_upload_) {
    top_up_after_upload_ = false;
    if (connection->is_open()) co_await upload_pre_keys(std::move(connection), kPreKeyTopUpBatch);
  }
}

void Session::send_unified_session() {
  // id = (now + server offset + 3 days) mod 1 week, in milliseconds (notes 01 §7.3 row 5).
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(SystemClock::now().time_since_epoch()).count();
  std::int64_t id = (now_ms + server_time_offset_ms_ + 3 * kDay) % (7 * kDay);
  (void)send(wire::Node("ib", {}, wire::Node::Children{wire::Node("unified_session", {{"id", std::to_string(id)}})}));
}

// --- logging out

void Session::logout(std::function<void(Result<LogoutResult>)> done) {
  if (logging_out_) {
    done(make_error(Errc::conflict, "a logout of this account is already under way"));
    return;
  }
  spawn([self = shared_from_this(), done = std::move(done)]() mutable { return self->run_logout(std::move(done)); });
}

asio::awaitable<void> Session::run_logout(std::function<void(Result<LogoutResult>)> done) {
  if (!credentials_ || !credentials_->linked) {
    done(make_error(Errc::invalid_argument, "account '" + account_.name + "' has no linked device"));
    co_return;
  }
  logging_out_ = true;
  LogoutResult result;
  result.jid = credentials_->linked->jid;
  if (connection_ && connection_->is_open() && state_.phase == Phase::connected) {
    auto own = own_device_jid(*credentials_);
    if (!own) {
      logging_out_ = false;
      done(std::unexpected(own.error()));
      co_return;
    }
    auto connection = connection_;
    wire::Node remove = remove_companion_device(*own);
    auto answer = co_await connection->query(std::move(remove));
    if (!answer) {
      logging_out_ = false;
      done(make_error(answer.error().code, "the server did not confirm the logout, so the link is kept: " +
                                               answer.error().message));
      co_return;
    }
    result.server_notified = true;
  }
  const std::string reason = result.server_notified ? "logged out by the user"
                                                    : "logged out by the user while offline (the phone may still list this device)";
  stop(reason);
  std::string why = reason;
  auto wiped = co_await wipe(std::move(why));
  logging_out_ = false;
  if (!wiped) {
    done(make_error(wiped.error().code, "unlinked, but wiping the credentials failed: " + wiped.error().message));
    co_return;
  }
  set_phase(Phase::logged_out, reason);
  done(std::move(result));
}

asio::awaitable<Status> Session::wipe(std::string reason) {
  StoreWork<void> wipe_all = [reason](AccountStores& stores) { return stores.credentials().wipe(reason); };
  auto wiped = co_await run_on_store(env_.store, account_.id, std::move(wipe_all));
  if (wiped) credentials_.reset();
  co_return wiped;
}

}  // namespace wacrm::wa
