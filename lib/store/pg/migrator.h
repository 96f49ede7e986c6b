// Schema migrations: numbered SQL files applied in order, each recorded in
// schema_migrations.
//
// Files are named NNN_name.sql (three or more digits, '_', a name of letters,
// digits, '_' or '-', '.sql'); numbers start at 1 and have no gaps, so a
// missing or duplicated file is caught before anything runs.
//
// One call runs in ONE transaction: it takes a transaction-level advisory
// lock, then applies every pending migration and its record. So the schema is
// always at a version some release knows (all pending migrations or none),
// and two daemons (or a daemon and wacrmctl) starting together apply each
// migration exactly once: the second waits for the lock, then finds nothing
// to do. Migrations therefore must not use statements that refuse to run in
// a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, CREATE DATABASE).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

struct MigrationFile {
  int version = 0;
  std::string name;             // "initial" for 001_initial.sql
  std::filesystem::path path;
};

struct MigrationReport {
  std::vector<int> applied;     // versions this call applied, ascending
  int current_version = 0;      // schema version after the call
};

// Lists and validates the migration files in dir, ordered by version.
// Errc::invalid_argument for a badly named .sql file, a duplicate number, a
// gap or a sequence not starting at 1; Errc::not_found when dir is missing.
// Files not ending in .sql are ignored.
Result<std::vector<MigrationFile>> list_migrations(const std::filesystem::path& dir);

// Brings the database up to the newest migration in migrations_dir.
// Errc::conflict when the database is already newer than the newest file
// ("database schema version N is newer than this wacrmd knows (M); upgrade
// wacrm"); the failing migration's error (prefixed with its file name) when
// one fails, in which case nothing of this call is kept.
Result<MigrationReport> migrate(PgConnection& conn, const std::filesystem::path& migrations_dir);

// The highest applied version; 0 when schema_migrations does not exist yet.
Result<int> schema_version(PgConnection& conn);

}  // namespace wacrm::store
