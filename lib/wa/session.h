// One account's WhatsApp session: links a new device by QR or logs a linked
// one in, and stays connected — the coroutine flow
//   load credentials → connect (WebSocket, Noise, ClientPayload) → serve nodes
//   → on disconnect: reconnect (at once after pairing, else exponential
//     backoff with jitter, capped, forever), or stop for good:
//     logged out (credentials wiped, account marked), replaced (reported, not
//     fought), client outdated, pairing refused or timed out.
// The protocol decisions live in the pure pieces (pairing, login, prekeys,
// keepalive, backoff); this file wires them to a Connection and the stores.
//
// Threading: create, call and destroy on the io_context's thread; database
// work goes through StoreAccess and resumes here.
#pragma once

#include <utility>  // before Asio: boost/asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "store/credentials_store.h"
#include "wa/backoff.h"
#include "wa/client_config.h"
#include "wa/login.h"
#include "wa/pairing_code.h"
#include "wa/pairing_qr.h"
#include "wa/session_observer.h"
#include "wa/session_state.h"
#include "wa/store_access.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::signal {
class Context;
}

namespace wacrm::wa {

class Connection;

// What every session of one daemon shares. Outlives its sessions.
struct SessionEnv {
  boost::asio::io_context& io;
  ClientConfig config;
  StoreAccess& store;
  signal::Context& signal;  // used on the loop only (making new credentials)
};

struct AccountRef {
  std::int64_t id = 0;
  std::string name;
};

struct LogoutResult {
  bool server_notified = false;  // remove-companion-device was answered (else only wiped locally)
  std::string jid;               // the device that was unlinked
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  enum class Mode {
    resume,  // log a linked device in; stop if there is none
    link,    // link a new device by QR when there is none (then stay connected)
  };

  static std::shared_ptr<Session> create(SessionEnv& env, AccountRef account, SessionObserver& observer);
  ~Session();

  // With `phone` (digits, international) a link-mode session links by
  // pairing code (notes 01 §6.9) instead of QR.
  void start(Mode mode, std::string phone = {});
  // Ends the session without unlinking: closes the connection, no more
  // retries, state stopped(reason). Idempotent.
  void stop(std::string reason);
  // stop(reason), then `stopped` once the session's flow has ended (no more
  // store work from it): before its account's rows may go. Called on the loop.
  void stop(std::string reason, std::function<void()> stopped);
  // Unlinks properly: remove-companion-device when connected (waiting for the
  // result; an error keeps the link), then wipes the credentials and marks the
  // account logged out. Without a connection it wipes locally and says so.
  void logout(std::function<void(Result<LogoutResult>)> done);

  const SessionState& state() const { return state_; }
  const AccountRef& account() const { return account_; }
  bool running() const { return running_; }
  // Sends a node on the current connection (observers' acks and receipts).
  Status send(const wire::Node& node);
  // Back-pressure from the observer (its message queue is full): stops or
  // resumes reading from the server (Connection::pause_reading). Holds for
  // the connections that follow too, until resumed.
  void set_reading_paused(bool paused);
  bool reading_paused() const { return reading_paused_; }

 private:
  Session(SessionEnv& env, AccountRef account, SessionObserver& observer);

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<bool> load_credentials();
  boost::asio::awaitable<Disconnect> connect_and_serve();
  boost::asio::awaitable<void> wait(boost::asio::steady_timer& timer);
  boost::asio::awaitable<void> after_login(std::shared_ptr<Connection> connection);
  boost::asio::awaitable<void> upload_pre_keys(std::shared_ptr<Connection> connection, std::uint32_t count);
  boost::asio::awaitable<void> handle_pair_success(wire::Node iq);
  boost::asio::awaitable<void> send_companion_hello(std::shared_ptr<Connection> connection);
  boost::asio::awaitable<void> handle_code_entered(wire::Node notification);
  boost::asio::awaitable<void> run_logout(std::function<void(Result<LogoutResult>)> done);
  boost::asio::awaitable<Status> wipe(std::string reason);

  void on_node(const wire::Node& node);
  void on_server_iq(const wire::Node& iq);
  void on_ib(const wire::Node& ib);
  void on_success(const wire::Node& success);
  void on_connection_closed(const Error& error);
  void end_connection(Disconnect disconnect);
  void show_qr();
  void send_unified_session();

  void set_phase(SessionState::Phase phase, std::string reason = {});
  void publish();
  template <class F>
  void spawn(F&& coroutine_factory);

  SessionEnv& env_;
  AccountRef account_;
  SessionObserver& observer_;
  Mode mode_ = Mode::resume;
  std::optional<store::DeviceCredentials> credentials_;
  SessionState state_;
  Backoff backoff_;

  std::shared_ptr<Connection> connection_;
  std::optional<Disconnect> disconnect_;  // why the current connection ends, once known
  bool connection_closed_ = false;
  std::optional<QrRotation> qr_;
  std::string code_phone_;                  // linking by pairing code with this number
  std::optional<CodePairing> code_pairing_;  // the code shown on this connection
  std::int64_t server_time_offset_ms_ = 0;

  boost::asio::steady_timer closed_signal_;  // cancelled when the connection is over
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer qr_timer_;
  bool running_ = false;
  bool stopping_ = false;
  bool uploading_pre_keys_ = false;
  // The server said "few left" while an upload was in flight: top up once more after it.
  bool top_up_after_upload_ = false;
  bool logging_out_ = false;
  bool reading_paused_ = false;
  std::vector<std::function<void()>> on_finished_;  // stop(reason, stopped) callbacks
};

}  // namespace wacrm::wa
