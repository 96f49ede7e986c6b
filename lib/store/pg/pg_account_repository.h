// AccountRepository on PostgreSQL (table accounts, migrations/001).
#pragma once

#include "store/account_repository.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

class PgAccountRepository final : public AccountRepository {
 public:
  // Uses conn for every call; conn must outlive this object and, like any
  // PgConnection, be used by one thread at a time.
  explicit PgAccountRepository(PgConnection& conn) : conn_(conn) {}

  Result<Account> add(std::string_view name) override;
  Result<std::vector<Account>> list() override;
  Result<Account> find(std::string_view name) override;
  Status remove(std::string_view name) override;
  Result<AccountUsage> usage(std::int64_t account_id) override;

 private:
  PgConnection& conn_;
};

}  // namespace wacrm::store
