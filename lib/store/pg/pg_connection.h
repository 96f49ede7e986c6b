// A libpq connection with results as values. lib/store/ is the only code that
// includes libpq; everything above it sees repositories, not SQL handles.
//
// Connections are blocking. The daemon keeps database work off its io_context
// by running store calls on a small pool of worker threads, each with its own
// PgConnection (see lib/store/pg/pg_pool.h); a PgConnection itself is not
// thread-safe and belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

struct pg_conn;
struct pg_result;

namespace wacrm::store {

// A query parameter: SQL NULL, text (sent in text format) or bytes (sent in
// binary format, for bytea columns).
struct PgNull {};
using PgParam = std::variant<PgNull, std::string, Bytes>;

inline PgParam pg_text(std::string_view s) { return std::string(s); }
inline PgParam pg_int(std::int64_t v) { return std::to_string(v); }
inline PgParam pg_bool(bool v) { return std::string(v ? "t" : "f"); }
inline PgParam pg_bytes(ByteView b) { return Bytes(b.begin(), b.end()); }
template <class T>
PgParam pg_optional(const std::optional<T>& v) {
  if (!v) return PgNull{};
  if constexpr (std::is_integral_v<T>) return pg_int(*v);
  else return PgParam(*v);
}

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* res);
  PgResult(PgResult&&) noexcept;
  PgResult& operator=(PgResult&&) noexcept;
  ~PgResult();

  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string_view text(int row, int col) const;   // "" for NULL
  std::optional<std::string> optional_text(int row, int col) const;
  std::int64_t int64(int row, int col) const;      // 0 for NULL
  bool boolean(int row, int col) const;            // false for NULL
  Bytes bytes(int row, int col) const;             // decodes bytea's text form
  // Rows affected by INSERT/UPDATE/DELETE.
  std::int64_t affected() const;
  // The command tag ("COMMIT", "ROLLBACK", "INSERT 0 1", ...).
  std::string_view command_status() const;

 private:
  pg_result* res_ = nullptr;
};

class PgConnection {
 public:
  // conninfo is a libpq connection string or URI ("postgresql:///wacrm",
  // "host=/run/x dbname=wacrm"). Fails with Errc::unavailable when the server
  // cannot be reached.
  static Result<PgConnection> connect(const std::string& conninfo);

  PgConnection(PgConnection&&) noexcept;
  PgConnection& operator=(PgConnection&&) noexcept;
  ~PgConnection();

  Result<PgResult> exec(std::string_view sql, const std::vector<PgParam>& params = {});
  // Runs several statements without parameters (migrations).
  Status exec_script(std::string_view sql);

  bool healthy() const;
  // Reconnects in place if the connection was lost (and sets the session up
  // again: UTC, ISO dates).
  Status reset_if_broken();
  // True inside BEGIN ... COMMIT/ROLLBACK (also after an error in it).
  bool in_transaction() const;
  int server_version() const;

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  Status set_up_session();
  pg_conn* conn_ = nullptr;
};

// BEGIN on construction; ROLLBACK on destruction unless commit() succeeded.
class PgTransaction {
 public:
  static Result<PgTransaction> begin(PgConnection& conn);
  PgTransaction(PgTransaction&& other) noexcept;
  PgTransaction& operator=(PgTransaction&&) = delete;
  ~PgTransaction();

  Status commit();
  PgConnection& connection() { return *conn_; }

 private:
  explicit PgTransaction(PgConnection& conn) : conn_(&conn) {}
  PgConnection* conn_;
  bool done_ = false;
};

}  // namespace wacrm::store
