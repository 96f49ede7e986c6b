#include "store/pg/pg_connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>

namespace wacrm::store {

namespace {

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Error error_from_result(PGconn* conn, PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  Errc code = Errc::database;
  if (PQstatus(conn) != CONNECTION_OK) {
    code = Errc::unavailable;
  } else if (state) {
    std::string_view s(state);
    if (s == "23505") code = Errc::already_exists;
    else if (s.starts_with("22") || s.starts_with("23")) code = Errc::invalid_argument;
    else if (s == "40001" || s == "40P01") code = Errc::conflict;
    else if (s.starts_with("08") || s == "57P01" || s == "57P03") code = Errc::unavailable;
    if (!message.empty()) message += " (SQLSTATE " + std::string(s) + ")";
  }
  return Error{code, message};
}

}  // namespace

PgResult::PgResult(pg_result* res) : res_(res) {}
PgResult::PgResult(PgResult&& other) noexcept : res_(std::exchange(other.res_, nullptr)) {}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (res_) PQclear(res_);
    res_ = std::exchange(other.res_, nullptr);
  }
  return *this;
}
PgResult::~PgResult() {
  if (res_) PQclear(res_);
}

int PgResult::rows() const { return res_ ? PQntuples(res_) : 0; }
int PgResult::columns() const { return res_ ? PQnfields(res_) : 0; }
bool PgResult::is_null(int row, int col) const { return PQgetisnull(res_, row, col) != 0; }

std::string_view PgResult::text(int row, int col) const {
  if (is_null(row, col)) return {};
  return {PQgetvalue(res_, row, col), static_cast<std::size_t>(PQgetlength(res_, row, col))};
}

std::optional<std::string> PgResult::optional_text(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return std::string(text(row, col));
}

std::int64_t PgResult::int64(int row, int col) const {
  if (is_null(row, col)) return 0;
  return std::strtoll(PQgetvalue(res_, row, col), nullptr, 10);
}

bool PgResult::boolean(int row, int col) const {
  if (is_null(row, col)) return false;
  return PQgetvalue(res_, row, col)[0] == 't';
}

Bytes PgResult::bytes(int row, int col) const {
  if (is_null(row, col)) return {};
  std::size_t length = 0;
  unsigned char* raw = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(res_, row, col)), &length);
  if (!raw) return {};
  Bytes out(raw, raw + length);
  PQfreemem(raw);
  return out;
}

std::string_view PgResult::command_status() const {
  const char* tag = res_ ? PQcmdStatus(res_) : nullptr;
  return tag ? std::string_view(tag) : std::string_view();
}

std::int64_t PgResult::affected() const {
  const char* n = res_ ? PQcmdTuples(res_) : "";
  return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

Result<PgConnection> PgConnection::connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) return make_error(Errc::internal, "out of memory creating a database connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return make_error(Errc::unavailable, message);
  }
  // Notices (e.g. "relation already exists, skipping") would go to stderr; the
  // store reports what matters through its results instead.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  PgConnection result(conn);
  if (auto r = result.set_up_session(); !r) return std::unexpected(r.error());
  return result;
}

// Every session, new or reset, reads and writes timestamps as ISO text in UTC
// (what pg_time.h parses and formats).
Status PgConnection::set_up_session() {
  return exec_script("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'");
}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}
PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    if (conn_) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
  }
  return *this;
}
PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

Result<PgResult> PgConnection::exec(std::string_view sql, const std::vector<PgParam>& params) {
  if (!conn_) return make_error(Errc::unavailable, "no database connection");
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size());
  std::vector<int> formats(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (auto* s = std::get_if<std::string>(&params[i])) {
      values[i] = s->c_str();
      lengths[i] = static_cast<int>(s->size());
      formats[i] = 0;
    } else if (auto* b = std::get_if<Bytes>(&params[i])) {
      // A non-null pointer even for an empty bytea, which libpq would read as NULL.
      static const char empty = 0;
      values[i] = b->empty() ? &empty : reinterpret_cast<const char*>(b->data());
      lengths[i] = static_cast<int>(b->size());
      formats[i] = 1;
    } else {
      values[i] = nullptr;
    }
  }
  std::string query(sql);
  PGresult* res = PQexecParams(conn_, query.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), lengths.data(), formats.data(), 0);
  auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = error_from_result(conn_, res);
    if (res) PQclear(res);
    return std::unexpected(std::move(error));
  }
  return PgResult(res);
}

Status PgConnection::exec_script(std::string_view sql) {
  if (!conn_) return make_error(Errc::unavailable, "no database connection");
  std::string script(sql);
  PGresult* res = PQexec(conn_, script.c_str());
  auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status == PGRES_EMPTY_QUERY) {
    PQclear(res);
    return make_error(Errc::invalid_argument, "the script contains no SQL statement");
  }
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = error_from_result(conn_, res);
    if (res) PQclear(res);
    return std::unexpected(std::move(error));
  }
  PQclear(res);
  return {};
}

bool PgConnection::healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

Status PgConnection::reset_if_broken() {
  if (!conn_) return make_error(Errc::unavailable, "no database connection");
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK)
    return make_error(Errc::unavailable, trimmed(PQerrorMessage(conn_)));
  return set_up_session();
}

bool PgConnection::in_transaction() const {
  if (!conn_) return false;
  auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

int PgConnection::server_version() const { return conn_ ? PQserverVersion(conn_) : 0; }

Result<PgTransaction> PgTransaction::begin(PgConnection& conn) {
  auto r = conn.exec("BEGIN");
  if (!r) return std::unexpected(r.error());
  return PgTransaction(conn);
}

PgTransaction::PgTransaction(PgTransaction&& other) noexcept
    : conn_(other.conn_), done_(std::exchange(other.done_, true)) {}

PgTransaction::~PgTransaction() {
  if (!done_) (void)conn_->exec("ROLLBACK");
}

Status PgTransaction::commit() {
  auto r = conn_->exec("COMMIT");
  done_ = true;
  if (!r) return std::unexpected(r.error());
  // After an error inside the transaction PostgreSQL answers COMMIT with the
  // tag ROLLBACK and no error. Callers acknowledge messages on a successful
  // commit, so this must not look like one.
  if (r->command_status() != "COMMIT")
    return make_error(Errc::database, "transaction was rolled back by the server (an earlier statement in it failed)");
  return {};
}

}  // namespace wacrm::store
