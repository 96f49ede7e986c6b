// wacrmd's process life: one io_context on the main thread, signals, the
// database bring-up, the control server, sd_notify, and an orderly shutdown.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "config/daemon_config.h"
#include "control/method_table.h"
#include "control/status_method.h"
#include "database.h"
#include "events/event_hub.h"
#include "notifier.h"

namespace wacrm::control {
class ControlServer;
class PoolRunner;
}  // namespace wacrm::control

namespace wacrm::daemon {

class SessionManager;
class EventSources;

class Daemon {
 public:
  Daemon(config::CommandLine command_line, config::DaemonConfig config);
  ~Daemon();

  // Runs until SIGTERM/SIGINT (or a fatal start-up error); the exit code.
  int run();

 private:
  void on_signal(const boost::system::error_code& ec, int signal);
  void wait_for_signal();
  void reload();
  void on_database(Result<OpenDatabase> database);
  void start_serving();
  void announce_ready();
  void shutdown(int exit_code);

  config::CommandLine command_line_;
  config::DaemonConfig config_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  Notifier notifier_;
  control::StatusSource status_source_;

  std::optional<store::EmbeddedPostgres> embedded_;
  std::string conninfo_;
  std::thread database_thread_;
  std::atomic<bool> stop_requested_{false};

  std::unique_ptr<store::PgPool> pool_;
  std::unique_ptr<control::PoolRunner> runner_;
  // The event stream (events.subscribe) and what raises its events; they
  // outlive the server and the sessions that publish to them.
  events::EventHub events_;
  std::unique_ptr<EventSources> event_sources_;
  control::MethodTable methods_;
  std::unique_ptr<control::ControlServer> server_;
  // WhatsApp sessions (session_manager.h); destroyed before the pool and runner it uses.
  std::unique_ptr<SessionManager> sessions_;

  bool stopping_ = false;
  int exit_code_ = 0;
};

}  // namespace wacrm::daemon
