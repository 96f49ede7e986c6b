#include "daemon.h"

#include <csignal>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "control/account_methods.h"
#include "control/control_server.h"
#include "control/crm_methods.h"
#include "control/event_methods.h"
#include "control/message_methods.h"
#include "control/pool_runner.h"
#include "event_sources.h"
#include "logging.h"
#include "session_manager.h"
#include "store/pg/pg_account_repository.h"

namespace wacrm::daemon {

namespace asio = boost::asio;

namespace {

crm::CrmSettings crm_settings(const config::DaemonConfig& config) {
  crm::CrmSettings settings;
  settings.default_cadence_days = config.crm_default_cadence_days;
  settings.default_time_zone = config.crm_time_zone;
  settings.pending_overdue_after = config.crm_pending_overdue_after;
  return settings;
}

}  // namespace

Daemon::Daemon(config::CommandLine command_line, config::DaemonConfig config)
    : command_line_(std::move(command_line)),
      config_(std::move(config)),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      notifier_(io_) {
  status_source_.version = WACRM_VERSION;
  status_source_.embedded_database = config_.database_url.empty();
}

Daemon::~Daemon() {
  stop_requested_ = true;
  if (database_thread_.joinable()) database_thread_.join();
}

int Daemon::run() {
  // Signals are caught from here on; ones arriving while the embedded server
  // starts are handled as soon as the loop runs.
  wait_for_signal();
  notifier_.start_watchdog();
  spdlog::info("wacrmd {} starting (config: {})", WACRM_VERSION,
               config_.config_file ? config_.config_file->string() : "none");

  if (config_.database_url.empty()) {
    notifier_.status("Starting embedded PostgreSQL…");
    spdlog::info("Starting embedded PostgreSQL in '{}'", (config_.state_dir / "postgres").string());
    auto embedded = start_embedded_postgres(config_.state_dir);
    if (!embedded) {
      spdlog::critical("Failed to start embedded PostgreSQL: {}", embedded.error().message);
      notifier_.status("Failed: " + embedded.error().message);
      return 1;
    }
    embedded_ = std::move(*embedded);
    conninfo_ = embedded_->conninfo();
  } else {
    conninfo_ = config_.database_url;
  }

  // Connecting may wait for the server indefinitely: off the loop, so
  // signals (and the watchdog) keep being served meanwhile.
  notifier_.status("Waiting for database…");
  database_thread_ = std::thread([this] {
    DatabaseProgress progress;
    progress.on_unreachable = [this](const store::ConnectFailure& failure) {
      auto secs = std::chrono::duration<double>(failure.retry_in).count();
      spdlog::warn("Database unreachable (attempt {}), retrying in {:.1f}s: {}", failure.attempt, secs,
                   failure.error.message);
      notifier_.status(fmt::format("Waiting for database: {}", failure.error.message));
    };
    progress.on_migrating = [this] { notifier_.status("Migrating database…"); };
    auto database = open_database(conninfo_, config_.migrations_dir, config_.database_pool_size, progress,
                                  [this] { return stop_requested_.load(); });
    asio::post(io_, [this, database = std::move(database)]() mutable { on_database(std::move(database)); });
  });

  io_.run();

  // The loop has stopped: no new work can arrive. Let queued database jobs
  // finish, deliver what they posted (to closed connections), then stop the server.
  stop_requested_ = true;
  if (database_thread_.joinable()) database_thread_.join();
  io_.restart();
  io_.poll();   // a database result that arrived after the stop
  if (pool_) pool_->shutdown();
  io_.restart();
  io_.poll();   // answers of the jobs the pool just finished
  server_.reset();
  if (embedded_) {
    notifier_.status("Stopping embedded PostgreSQL…");
    if (auto stopped = embedded_->stop(); !stopped)
      spdlog::warn("Embedded PostgreSQL did not stop cleanly: {}", stopped.error().message);
  }
  spdlog::info("wacrmd stopped");
  return exit_code_;
}

void Daemon::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) { on_signal(ec, signal); });
}

void Daemon::on_signal(const boost::system::error_code& ec, int signal) {
  if (ec) return;
  if (signal == SIGHUP) {
    reload();
  } else {
    spdlog::info("Received {}, shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    shutdown(0);
  }
  wait_for_signal();
}

void Daemon::reload() {
  auto fresh = config::load_daemon_config(command_line_);
  if (!fresh) {
    spdlog::error("Failed to reload configuration, keeping the current one: {}", fresh.error().message);
    return;
  }
  if (fresh->log_level != config_.log_level) {
    set_log_level(fresh->log_level);
    spdlog::info("Log level is now '{}'", fresh->log_level);
    config_.log_level = fresh->log_level;
  } else {
    spdlog::info("Configuration reloaded; log level unchanged ('{}')", config_.log_level);
  }
}

void Daemon::on_database(Result<OpenDatabase> database) {
  if (stopping_) {
    if (database) pool_ = std::move(database->pool);  // shut down in run()
    return;
  }
  if (!database) {
    spdlog::critical("Failed to open the database: {}", database.error().message);
    notifier_.status("Failed: " + database.error().message);
    shutdown(1);
    return;
  }
  const auto& report = database->migrations;
  if (report.applied.empty())
    spdlog::info("Database schema is at version {}", report.current_version);
  else
    spdlog::info("Applied {} migration(s); database schema is at version {}", report.applied.size(),
                 report.current_version);
  pool_ = std::move(database->pool);
  runner_ = std::make_unique<control::PoolRunner>(*pool_, io_.get_executor());
  start_serving();
}

void Daemon::start_serving() {
  control::register_help_method(methods_);
  control::register_status_method(methods_, *runner_, status_source_);
  // account.remove ends the account's session before its rows go.
  control::register_account_methods(methods_, *runner_, [this](std::int64_t account_id, std::function<void()> ended) {
    if (sessions_) return sessions_->end_session(account_id, std::move(ended));
    ended();
  });
  control::register_message_methods(methods_, *runner_);
  control::register_crm_methods(methods_, *runner_, crm_settings(config_));
  control::register_event_methods(methods_, events_, io_.get_executor());
  event_sources_ = std::make_unique<EventSources>(io_, *runner_, events_, crm_settings(config_),
                                                  config_.crm_due_check_interval);
  auto sessions = SessionManager::create(io_, *pool_, *runner_, config_);
  if (!sessions) {
    spdlog::critical("Invalid WhatsApp settings: {}", sessions.error().message);
    notifier_.status("Failed: " + sessions.error().message);
    shutdown(1);
    return;
  }
  sessions_ = std::move(*sessions);
  sessions_->register_methods(methods_, status_source_);
  sessions_->set_event_sink({[this](const std::string& account, const wa::MessageEvent& event) {
                               event_sources_->message(account, event);
                             },
                             [this](const control::LoginUpdate& update) { event_sources_->session_state(update); }});

  control::ControlServerOptions options;
  options.socket_path = config_.control_socket;
  options.group = config_.control_group;
  options.max_frame_size = config_.control_max_frame_size;
  options.read_timeout = config_.control_read_timeout;
  options.on_warning = [](const std::string& message) { spdlog::warn("Control socket: {}", message); };
  server_ = std::make_unique<control::ControlServer>(io_, methods_, std::move(options));
  if (auto started = server_->start(); !started) {
    spdlog::critical("Failed to listen on the control socket: {}", started.error().message);
    notifier_.status("Failed: " + started.error().message);
    shutdown(1);
    return;
  }
  spdlog::info("Listening on '{}'", config_.control_socket.string());
  announce_ready();
  sessions_->start();
  event_sources_->start();
}

void Daemon::announce_ready() {
  runner_->run<std::size_t>(
      [](store::PgConnection& conn) -> Result<std::size_t> {
        return WACRM_TRY(store::PgAccountRepository(conn).list()).size();
      },
      [this](Result<std::size_t> accounts) {
        if (stopping_) return;
        if (!accounts) spdlog::warn("Failed to count accounts: {}", accounts.error().message);
        std::string status = accounts ? fmt::format("Ready: {} account(s)", *accounts) : "Ready";
        notifier_.ready(status);
        spdlog::info("{}", status);
      });
}

void Daemon::shutdown(int exit_code) {
  if (stopping_) return;
  stopping_ = true;
  exit_code_ = exit_code;
  stop_requested_ = true;
  notifier_.stopping("Stopping…");
  notifier_.stop_watchdog();
  signals_.cancel();
  if (sessions_) sessions_->stop();  // ends login streams, so the drain below does not wait for them
  // Ends events.subscribe streams likewise.
  if (event_sources_) event_sources_->stop();
  events_.close();
  if (!server_) {
    io_.stop();
    return;
  }
  server_->stop_accepting();
  server_->drain(config_.shutdown_timeout, [this](std::size_t unfinished) {
    if (unfinished > 0)
      spdlog::warn("Stopping with {} control request(s) unfinished after {}s", unfinished,
                   config_.shutdown_timeout.count());
    io_.stop();
  });
}

}  // namespace wacrm::daemon
