// Bringing up wacrmd's database: the embedded server (when database.url is
// empty), then connect with retry, migrate, and open the worker pool.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/error.h"
#include "store/pg/embedded_postgres.h"
#include "store/pg/migrator.h"
#include "store/pg/pg_connect_retry.h"
#include "store/pg/pg_pool.h"

namespace wacrm::daemon {

// Must run on the main thread (the server is tied to the thread that starts
// it). Hides NOTIFY_SOCKET from the server: PostgreSQL speaks sd_notify too,
// and its READY=1 is not ours to send.
Result<store::EmbeddedPostgres> start_embedded_postgres(const std::filesystem::path& state_dir);

struct DatabaseProgress {
  std::function<void(const store::ConnectFailure&)> on_unreachable;
  std::function<void()> on_migrating;
};

struct OpenDatabase {
  std::unique_ptr<store::PgPool> pool;
  store::MigrationReport migrations;
};

// Blocking; run it on a start-up thread. Waits for the server (backoff, no
// deadline) until should_stop says so (Errc::cancelled). A schema newer than
// this wacrmd knows, or a failing migration, is an error, not a retry.
Result<OpenDatabase> open_database(const std::string& conninfo, const std::filesystem::path& migrations_dir,
                                   int pool_size, const DatabaseProgress& progress,
                                   const store::StopPredicate& should_stop);

}  // namespace wacrm::daemon
