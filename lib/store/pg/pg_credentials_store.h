// CredentialsStore on PostgreSQL for one account: device_credentials joined
// with the account's own JIDs in accounts (migrations/001).
//
// Every method is one SQL statement (several tables change through
// data-modifying CTEs), so each is atomic on its own and also composes into
// a caller's PgTransaction on the same connection.
#pragma once

#include <cstdint>

#include "store/credentials_store.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

class PgCredentialsStore final : public CredentialsStore {
 public:
  // conn must outlive this object and be used by one thread at a time.
  PgCredentialsStore(PgConnection& conn, std::int64_t account_id) : conn_(conn), account_id_(account_id) {}

  Result<std::optional<DeviceCredentials>> load() override;
  Status save_linked(const DeviceCredentials& credentials) override;
  Status update_lid(std::string_view lid) override;
  Status set_next_pre_key_id(std::uint32_t next_id) override;
  Status set_server_has_pre_keys(bool value) override;
  Status wipe(std::string_view reason) override;

 private:
  // Runs a statement that must touch the account's row(s); Errc::not_found if it touched none.
  Status expect_rows(std::string_view sql, const std::vector<PgParam>& params, std::string_view what);

  PgConnection& conn_;
  std::int64_t account_id_;
};

}  // namespace wacrm::store
