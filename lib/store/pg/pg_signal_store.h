// SignalStore on PostgreSQL for one account (migrations/001: the local
// identity from device_credentials; signal_sessions, signal_prekeys,
// signal_signed_prekeys, signal_identities, signal_sender_keys).
//
// Every call is one statement on the given connection, so a PgSignalStore
// made over a connection inside an open PgTransaction writes as part of that
// transaction: that is how the daemon commits the Signal state a decryption
// advanced together with the message (signal/state_transaction.h).
#pragma once

#include <cstdint>

#include "store/pg/pg_connection.h"
#include "store/signal_store.h"

namespace wacrm::store {

class PgSignalStore final : public SignalStore {
 public:
  // conn must outlive this object and, like any PgConnection, be used by
  // one thread at a time.
  PgSignalStore(PgConnection& conn, std::int64_t account_id) : conn_(conn), account_id_(account_id) {}

  // Errc::not_found when the account has no device_credentials row yet.
  Result<SignalLocalIdentity> local_identity() override;

  Result<std::optional<Bytes>> load_session(std::string_view name, int device) override;
  Status store_session(std::string_view name, int device, ByteView record) override;
  Result<std::vector<SessionRecord>> load_sessions(std::span<const SessionAddress> addresses) override;
  Status store_sessions(std::span<const SessionRecord> sessions) override;
  Result<std::vector<int>> sub_device_sessions(std::string_view name) override;
  Result<bool> delete_session(std::string_view name, int device) override;
  Result<int> delete_all_sessions(std::string_view name) override;

  Result<std::optional<Bytes>> load_pre_key(std::uint32_t id) override;
  Status store_pre_key(std::uint32_t id, ByteView record) override;
  Result<bool> contains_pre_key(std::uint32_t id) override;
  Status remove_pre_key(std::uint32_t id) override;
  Result<std::vector<std::uint32_t>> unuploaded_pre_key_ids() override;
  Status mark_pre_keys_uploaded(std::span<const std::uint32_t> ids) override;

  Result<std::optional<Bytes>> load_signed_pre_key(std::uint32_t id) override;
  Status store_signed_pre_key(std::uint32_t id, ByteView record) override;
  Result<bool> contains_signed_pre_key(std::uint32_t id) override;
  Status remove_signed_pre_key(std::uint32_t id) override;

  Status save_identity(std::string_view name, int device, ByteView key) override;
  Result<std::optional<Bytes>> load_identity(std::string_view name, int device) override;
  Result<bool> delete_identity(std::string_view name, int device) override;

  Result<std::optional<Bytes>> load_sender_key(std::string_view group, std::string_view name,
                                               int device) override;
  Status store_sender_key(std::string_view group, std::string_view name, int device,
                          ByteView record) override;

 private:
  // Runs a query returning at most one bytea column in one row.
  Result<std::optional<Bytes>> load_one(std::string_view sql, std::vector<PgParam> params);
  Status execute(std::string_view sql, std::vector<PgParam> params);
  // True when the query returns a row.
  Result<bool> exists(std::string_view sql, std::vector<PgParam> params);
  Result<std::int64_t> affected(std::string_view sql, std::vector<PgParam> params);

  PgConnection& conn_;
  std::int64_t account_id_;
};

}  // namespace wacrm::store
