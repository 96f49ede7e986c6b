// wacrmd's WhatsApp sessions: one wa::Session per account that is linked (at
// start-up) or linking (login), each on its own — one account's failure never
// touches another's. Serves the login/logout control methods, reports live
// link states to status, and logs each state change once.
//
// Everything runs on the daemon's loop; database work goes to the PgPool.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "config/daemon_config.h"
#include "control/login_methods.h"
#include "pg_message_access.h"
#include "pg_store_access.h"
#include "signal/context.h"
#include "wa/message_receiver.h"
#include "wa/session.h"

namespace wacrm::control {
class MethodTable;
class PoolRunner;
struct StatusSource;
}  // namespace wacrm::control

namespace wacrm::daemon {

class SessionManager final : public control::LinkService, private wa::SessionObserver {
 public:
  // Errc::invalid_argument for unusable whatsapp.* settings.
  static Result<std::unique_ptr<SessionManager>> create(boost::asio::io_context& io, store::PgPool& pool,
                                                        control::PoolRunner& runner,
                                                        const config::DaemonConfig& config);
  ~SessionManager() override;

  // Adds login/logout to the table and the live state to status.
  void register_methods(control::MethodTable& table, control::StatusSource& status);
  // Starts a session for every linked account.
  void start();
  // Ends every session (without unlinking) and every login in progress.
  void stop();
  // Ends one account's session (without unlinking; a login in progress fails)
  // and forgets it; `ended` runs once the session no longer touches the
  // store — account.remove deletes the rows then (control::EndSession).
  void end_session(std::int64_t account_id, std::function<void()> ended);

  void login(const std::string& account, const std::string& phone, LoginStream stream) override;
  void logout(const std::string& account, std::function<void(Result<control::LogoutResponse>)> done) override;

  // Where the receivers' events and every state change go (the daemon's
  // event stream, event_sources.h); set before start().
  struct EventSink {
    std::function<void(const std::string& account, const wa::MessageEvent& event)> message;
    std::function<void(const control::LoginUpdate& update)> state;
  };
  void set_event_sink(EventSink sink) { sink_ = std::move(sink); }

  bool connected(std::int64_t account_id) const;
  // "connected since …", "reconnecting in 4s after …"; empty without a session.
  std::string describe(std::int64_t account_id) const;

 private:
  SessionManager(boost::asio::io_context& io, store::PgPool& pool, control::PoolRunner& runner,
                 wa::ClientConfig config, signal::Context signal);

  struct Entry {
    std::shared_ptr<wa::Session> session;
    std::optional<LoginStream> login;  // a `login` request waiting for this session
  };

  // `phone` (digits) links by pairing code instead of QR (mode link only).
  std::shared_ptr<wa::Session> start_session(std::int64_t id, const std::string& name, wa::Session::Mode mode,
                                             std::string phone = {});
  void on_state(wa::Session& session, const wa::SessionState& state) override;
  // Messages, receipts and notifications go to the account's receiver, which
  // stores them and answers after each commit (wa/message_receiver.h).
  bool on_stanza(wa::Session& session, const wire::Node& stanza) override;
  void on_group_answer(wa::Session& session, const wire::Node& answer) override;
  wa::MessageReceiver* receiver_for(const wa::Session& session);
  void log_state(const wa::Session& session, const wa::SessionState& state) const;

  boost::asio::io_context& io_;
  control::PoolRunner& runner_;
  PgStoreAccess store_;
  PgMessageStoreAccess message_store_;
  signal::Context signal_;
  wa::SessionEnv env_;
  std::map<std::int64_t, Entry> sessions_;
  std::map<std::int64_t, std::unique_ptr<wa::MessageReceiver>> receivers_;  // by account id
  bool stopping_ = false;
  EventSink sink_;
};

}  // namespace wacrm::daemon
