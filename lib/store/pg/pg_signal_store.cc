#include "store/pg/pg_signal_store.h"

#include <string>

#include "store/pg/pg_message_sql.h"

namespace wacrm::store {

namespace {

// Statements for a table of records keyed by (account_id, key_id): the
// one-time and the signed pre-keys. Replacing a record keeps the other
// columns (a pre-key's uploaded flag: the id is what the server knows).
struct KeyTableSql {
  std::string load, store, contains, remove;

  explicit KeyTableSql(const std::string& table)
      : load("SELECT record FROM " + table + " WHERE account_id = $1 AND key_id = $2"),
        store("INSERT INTO " + table + " (account_id, key_id, record) VALUES ($1, $2, $3) "
              "ON CONFLICT (account_id, key_id) DO UPDATE SET record = EXCLUDED.record"),
        contains("SELECT 1 FROM " + table + " WHERE account_id = $1 AND key_id = $2"),
        remove("DELETE FROM " + table + " WHERE account_id = $1 AND key_id = $2") {}
};

const KeyTableSql& pre_key_sql() {
  static const KeyTableSql sql("signal_prekeys");
  return sql;
}
const KeyTableSql& signed_pre_key_sql() {
  static const KeyTableSql sql("signal_signed_prekeys");
  return sql;
}

}  // namespace

Result<std::optional<Bytes>> PgSignalStore::load_one(std::string_view sql, std::vector<PgParam> params) {
  PgResult r = WACRM_TRY(conn_.exec(sql, params));
  if (r.rows() == 0) return std::optional<Bytes>();
  return std::optional<Bytes>(r.bytes(0, 0));
}

Status PgSignalStore::execute(std::string_view sql, std::vector<PgParam> params) {
  WACRM_TRY(conn_.exec(sql, params));
  return {};
}

Result<bool> PgSignalStore::exists(std::string_view sql, std::vector<PgParam> params) {
  PgResult r = WACRM_TRY(conn_.exec(sql, params));
  return r.rows() > 0;
}

Result<std::int64_t> PgSignalStore::affected(std::string_view sql, std::vector<PgParam> params) {
  PgResult r = WACRM_TRY(conn_.exec(sql, params));
  return r.affected();
}

Result<SignalLocalIdentity> PgSignalStore::local_identity() {
  PgResult r = WACRM_TRY(conn_.exec(
      "SELECT identity_public, identity_private, registration_id, signed_prekey_id, "
      "signed_prekey_public, signed_prekey_private, signed_prekey_signature "
      "FROM device_credentials WHERE account_id = $1",
      {pg_int(account_id_)}));
  if (r.rows() == 0)
    return make_error(Errc::not_found, "account " + std::to_string(account_id_) + " has no device credentials");
  return SignalLocalIdentity{
      .identity_public = r.bytes(0, 0),
      .identity_private = r.bytes(0, 1),
      .registration_id = static_cast<std::uint32_t>(r.int64(0, 2)),
      .signed_pre_key_id = static_cast<std::uint32_t>(r.int64(0, 3)),
      .signed_pre_key_public = r.bytes(0, 4),
      .signed_pre_key_private = r.bytes(0, 5),
      .signed_pre_key_signature = r.bytes(0, 6),
  };
}

// --- sessions

Result<std::optional<Bytes>> PgSignalStore::load_session(std::string_view name, int device) {
  return load_one("SELECT record FROM signal_sessions WHERE account_id = $1 AND name = $2 AND device_id = $3",
                  {pg_int(account_id_), pg_text(name), pg_int(device)});
}

Result<std::vector<SessionRecord>> PgSignalStore::load_sessions(std::span<const SessionAddress> addresses) {
  std::vector<SessionRecord> found;
  if (addresses.empty()) return found;
  std::vector<PgParam> params{pg_int(account_id_)};
  for (const auto& a : addresses) {
    params.push_back(pg_text(a.name));
    params.push_back(pg_int(a.device));
  }
  PgResult r = WACRM_TRY(conn_.exec(
      "WITH wanted (name, device_id) AS (VALUES " + message_sql::values_rows(2, addresses.size(), {"text", "int"}) +
          ") SELECT s.name, s.device_id, s.record FROM signal_sessions s JOIN wanted USING (name, device_id) "
          "WHERE s.account_id = $1",
      params));
  for (int i = 0; i < r.rows(); ++i)
    found.push_back({std::string(r.text(i, 0)), static_cast<int>(r.int64(i, 1)), r.bytes(i, 2)});
  return found;
}

Status PgSignalStore::store_sessions(std::span<const SessionRecord> sessions) {
  if (sessions.empty()) return {};
  std::vector<PgParam> params{pg_int(account_id_)};
  for (const auto& s : sessions) {
    params.push_back(pg_text(s.name));
    params.push_back(pg_int(s.device));
    params.push_back(pg_bytes(s.record));
  }
  return execute("INSERT INTO signal_sessions (account_id, name, device_id, record) SELECT $1, v.* FROM (VALUES " +
                     message_sql::values_rows(2, sessions.size(), {"text", "int", "bytea"}) +
                     ") AS v ON CONFLICT (account_id, name, device_id) DO UPDATE SET record = EXCLUDED.record, "
                     "updated_at = now()",
                 std::move(params));
}

Status PgSignalStore::store_session(std::string_view name, int device, ByteView record) {
  return execute(
      "INSERT INTO signal_sessions (account_id, name, device_id, record) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (account_id, name, device_id) DO UPDATE SET record = EXCLUDED.record, updated_at = now()",
      {pg_int(account_id_), pg_text(name), pg_int(device), pg_bytes(record)});
}

Result<std::vector<int>> PgSignalStore::sub_device_sessions(std::string_view name) {
  PgResult r = WACRM_TRY(conn_.exec(
      "SELECT device_id FROM signal_sessions WHERE account_id = $1 AND name = $2 ORDER BY device_id",
      {pg_int(account_id_), pg_text(name)}));
  std::vector<int> devices;
  devices.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) devices.push_back(static_cast<int>(r.int64(row, 0)));
  return devices;
}

Result<bool> PgSignalStore::delete_session(std::string_view name, int device) {
  return WACRM_TRY(affected("DELETE FROM signal_sessions WHERE account_id = $1 AND name = $2 AND device_id = $3",
                            {pg_int(account_id_), pg_text(name), pg_int(device)})) > 0;
}

Result<int> PgSignalStore::delete_all_sessions(std::string_view name) {
  return static_cast<int>(WACRM_TRY(affected("DELETE FROM signal_sessions WHERE account_id = $1 AND name = $2",
                                             {pg_int(account_id_), pg_text(name)})));
}

// --- one-time pre-keys

Result<std::optional<Bytes>> PgSignalStore::load_pre_key(std::uint32_t id) {
  return load_one(pre_key_sql().load, {pg_int(account_id_), pg_int(id)});
}

Status PgSignalStore::store_pre_key(std::uint32_t id, ByteView record) {
  return execute(pre_key_sql().store, {pg_int(account_id_), pg_int(id), pg_bytes(record)});
}

Result<bool> PgSignalStore::contains_pre_key(std::uint32_t id) {
  return exists(pre_key_sql().contains, {pg_int(account_id_), pg_int(id)});
}

Status PgSignalStore::remove_pre_key(std::uint32_t id) {
  return execute(pre_key_sql().remove, {pg_int(account_id_), pg_int(id)});
}

Result<std::vector<std::uint32_t>> PgSignalStore::unuploaded_pre_key_ids() {
  PgResult r = WACRM_TRY(conn_.exec(
      "SELECT key_id FROM signal_prekeys WHERE account_id = $1 AND NOT uploaded ORDER BY key_id",
      {pg_int(account_id_)}));
  std::vector<std::uint32_t> ids;
  ids.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) ids.push_back(static_cast<std::uint32_t>(r.int64(row, 0)));
  return ids;
}

Status PgSignalStore::mark_pre_keys_uploaded(std::span<const std::uint32_t> ids) {
  if (ids.empty()) return {};
  std::string array = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) array += (i ? "," : "") + std::to_string(ids[i]);
  array += "}";
  return execute("UPDATE signal_prekeys SET uploaded = true WHERE account_id = $1 AND key_id = ANY($2::integer[])",
                 {pg_int(account_id_), pg_text(array)});
}

// --- signed pre-keys

Result<std::optional<Bytes>> PgSignalStore::load_signed_pre_key(std::uint32_t id) {
  return load_one(signed_pre_key_sql().load, {pg_int(account_id_), pg_int(id)});
}

Status PgSignalStore::store_signed_pre_key(std::uint32_t id, ByteView record) {
  return execute(signed_pre_key_sql().store, {pg_int(account_id_), pg_int(id), pg_bytes(record)});
}

Result<bool> PgSignalStore::contains_signed_pre_key(std::uint32_t id) {
  return exists(signed_pre_key_sql().contains, {pg_int(account_id_), pg_int(id)});
}

Status PgSignalStore::remove_signed_pre_key(std::uint32_t id) {
  return execute(signed_pre_key_sql().remove, {pg_int(account_id_), pg_int(id)});
}

// --- remote identities

Status PgSignalStore::save_identity(std::string_view name, int device, ByteView key) {
  return execute(
      "INSERT INTO signal_identities (account_id, name, device_id, identity_key) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (account_id, name, device_id) DO UPDATE SET identity_key = EXCLUDED.identity_key, "
      "updated_at = now()",
      {pg_int(account_id_), pg_text(name), pg_int(device), pg_bytes(key)});
}

Result<std::optional<Bytes>> PgSignalStore::load_identity(std::string_view name, int device) {
  return load_one(
      "SELECT identity_key FROM signal_identities WHERE account_id = $1 AND name = $2 AND device_id = $3",
      {pg_int(account_id_), pg_text(name), pg_int(device)});
}

Result<bool> PgSignalStore::delete_identity(std::string_view name, int device) {
  return WACRM_TRY(affected("DELETE FROM signal_identities WHERE account_id = $1 AND name = $2 AND device_id = $3",
                            {pg_int(account_id_), pg_text(name), pg_int(device)})) > 0;
}

// --- sender keys

Result<std::optional<Bytes>> PgSignalStore::load_sender_key(std::string_view group, std::string_view name,
                                                            int device) {
  return load_one(
      "SELECT record FROM signal_sender_keys "
      "WHERE account_id = $1 AND group_id = $2 AND sender_name = $3 AND sender_device = $4",
      {pg_int(account_id_), pg_text(group), pg_text(name), pg_int(device)});
}

Status PgSignalStore::store_sender_key(std::string_view group, std::string_view name, int device,
                                       ByteView record) {
  return execute(
      "INSERT INTO signal_sender_keys (account_id, group_id, sender_name, sender_device, record) "
      "VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (account_id, group_id, sender_name, sender_device) "
      "DO UPDATE SET record = EXCLUDED.record, updated_at = now()",
      {pg_int(account_id_), pg_text(group), pg_text(name), pg_int(device), pg_bytes(record)});
}

}  // namespace wacrm::store
