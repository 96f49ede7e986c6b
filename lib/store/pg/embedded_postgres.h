// A private PostgreSQL server owned by wacrmd, for installs without a system
// database: initialized once under <state_dir>/postgres/data, listening only
// on a Unix socket in <state_dir>/postgres/ (no TCP), trust authentication on
// that socket only (the directory is mode 0700, so only its owner and root can
// reach it).
//
// PostgreSQL refuses to run as root; when wacrmd runs as root the server runs
// as an unprivileged user ("wacrm" if it exists, else "postgres") and the
// postgres directory is owned by that user. <state_dir> itself must then be
// traversable by that user.
//
// The server is our child process in its own session (terminal signals reach
// only wacrmd, which stops the server last) and receives SIGINT if the thread
// that started it exits: call start() from the thread that lives as long as
// the daemon (main).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace wacrm::store {

class EmbeddedPostgres {
 public:
  struct Options {
    std::filesystem::path state_dir;
    // Unset: when running as root, "wacrm" if that user exists, else
    // "postgres"; otherwise the current user. Only root may name another user.
    std::optional<std::string> run_as_user;
    // Unset: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin.
    std::optional<std::filesystem::path> pg_bindir;
    std::chrono::milliseconds startup_timeout{60'000};
    std::chrono::milliseconds stop_timeout{30'000};
    std::string database = "wacrm";   // created on first start (letters, digits, '_')
    // Extra server settings, passed as -c name=value (e.g. {"shared_buffers", "64MB"}).
    std::vector<std::pair<std::string, std::string>> settings;
  };

  // Runs initdb if needed, starts the server, waits until it accepts
  // connections and creates the database. Errors name the path and step that
  // failed; a failed server start includes the tail of server.log.
  // Errc::already_exists when a server is already running on this data dir.
  static Result<EmbeddedPostgres> start(Options options);

  EmbeddedPostgres(EmbeddedPostgres&& other) noexcept;
  EmbeddedPostgres& operator=(EmbeddedPostgres&& other) noexcept;
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;
  // Stops the server if still running.
  ~EmbeddedPostgres();

  // libpq connection string for options.database ("host=<dir> port=5432 user=wacrm dbname=wacrm").
  const std::string& conninfo() const { return conninfo_; }
  // The same for another database on this server (e.g. "postgres").
  std::string conninfo_for(std::string_view database) const;
  const std::filesystem::path& socket_dir() const { return socket_dir_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& log_file() const { return log_file_; }
  // The postmaster's pid; 0 once stopped.
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // Fast shutdown (SIGINT: disconnect clients, checkpoint, exit), waiting up to
  // stop_timeout, then SIGKILL. Errc::timeout if it had to be killed (the
  // server then recovers from its WAL on the next start). Idempotent.
  Status stop();

 private:
  EmbeddedPostgres() = default;

  std::filesystem::path socket_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_file_;
  std::string superuser_;
  std::string conninfo_;
  std::chrono::milliseconds stop_timeout_{30'000};
  pid_t pid_ = 0;
};

}  // namespace wacrm::store
