#include "store/pg/migrator.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace wacrm::store {

namespace {

namespace fs = std::filesystem;

// Any fixed 64-bit number works as long as every migrator uses the same one;
// this is "wacrm" in ASCII, unlikely to collide with another application's lock.
constexpr std::int64_t kMigrationLockKey = 0x7761'63'72'6dLL;

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version int PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// "NNN_name.sql" -> (version, name); nullopt when the file name breaks the rule.
std::optional<MigrationFile> parse_file_name(const fs::path& path) {
  std::string file = path.filename().string();
  std::string_view stem(file);
  if (!stem.ends_with(".sql")) return std::nullopt;
  stem.remove_suffix(4);
  std::size_t digits = 0;
  while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') ++digits;
  if (digits < 3 || digits > 9 || digits + 1 >= stem.size() || stem[digits] != '_') return std::nullopt;
  std::string_view name = stem.substr(digits + 1);
  if (!std::all_of(name.begin(), name.end(), is_name_char)) return std::nullopt;
  MigrationFile out;
  out.version = std::stoi(std::string(stem.substr(0, digits)));
  out.name = std::string(name);
  out.path = path;
  return out;
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, fmt::format("cannot open migration '{}'", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(Errc::internal, fmt::format("cannot read migration '{}'", path.string()));
  return text.str();
}

Result<int> max_recorded_version(PgConnection& conn) {
  auto r = WACRM_TRY(conn.exec("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  return static_cast<int>(r.int64(0, 0));
}

Error with_context(Error error, std::string_view context) {
  error.message = fmt::format("{}: {}", context, error.message);
  return error;
}

}  // namespace

Result<std::vector<MigrationFile>> list_migrations(const fs::path& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec)
    return make_error(Errc::not_found, fmt::format("cannot read migrations directory '{}': {}", dir.string(), ec.message()));
  std::map<int, MigrationFile> by_version;
  for (const auto& entry : it) {
    if (entry.path().extension() != ".sql") continue;
    auto file = parse_file_name(entry.path());
    if (!file)
      return make_error(Errc::invalid_argument,
                        fmt::format("migration file '{}' is not named NNN_name.sql (3+ digits, '_', letters, digits, "
                                    "'_' or '-')",
                                    entry.path().string()));
    auto [pos, inserted] = by_version.emplace(file->version, *file);
    if (!inserted)
      return make_error(Errc::invalid_argument,
                        fmt::format("migrations '{}' and '{}' have the same number {}", pos->second.path.string(),
                                    entry.path().string(), file->version));
  }
  std::vector<MigrationFile> files;
  int expected = 1;
  for (auto& [version, file] : by_version) {
    if (version != expected)
      return make_error(Errc::invalid_argument,
                        fmt::format("migrations in '{}' skip version {} (next file is '{}')", dir.string(), expected,
                                    file.path.filename().string()));
    files.push_back(std::move(file));
    ++expected;
  }
  return files;
}

Result<int> schema_version(PgConnection& conn) {
  auto exists = WACRM_TRY(conn.exec("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  if (!exists.boolean(0, 0)) return 0;
  return max_recorded_version(conn);
}

Result<MigrationReport> migrate(PgConnection& conn, const fs::path& migrations_dir) {
  auto files = WACRM_TRY(list_migrations(migrations_dir));
  int newest = files.empty() ? 0 : files.back().version;

  // Everything under one transaction-scoped lock: a second migrator blocks
  // here until the first commits, then finds nothing left to do. It also
  // makes CREATE TABLE IF NOT EXISTS safe, which it is not on its own.
  auto tx = WACRM_TRY(PgTransaction::begin(conn));
  WACRM_TRY(conn.exec("SELECT pg_advisory_xact_lock($1)", {pg_int(kMigrationLockKey)}));
  WACRM_TRY(conn.exec(kCreateTable));
  int current = WACRM_TRY(max_recorded_version(conn));
  if (current > newest)
    return make_error(Errc::conflict,
                      fmt::format("database schema version {} is newer than this wacrmd knows ({}); upgrade wacrm",
                                  current, newest));

  MigrationReport report;
  for (const auto& file : files) {
    if (file.version <= current) continue;
    auto sql = WACRM_TRY(read_file(file.path));
    if (auto r = conn.exec_script(sql); !r)
      return std::unexpected(with_context(
          r.error(), fmt::format("migration {} ('{}') failed", file.version, file.path.filename().string())));
    WACRM_TRY(conn.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        {pg_int(file.version), pg_text(file.name)}));
    report.applied.push_back(file.version);
  }
  WACRM_TRY(tx.commit());
  report.current_version = report.applied.empty() ? current : report.applied.back();
  return report;
}

}  // namespace wacrm::store
