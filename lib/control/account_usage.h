// How much an account holds, to tell the user what `account remove` would
// delete. A thin query kept here until the store offers it.
#pragma once

#include <cstdint>

#include "base/error.h"
#include "store/pg/pg_connection.h"

namespace wacrm::control {

struct AccountUsage {
  std::int64_t messages = 0;
  std::int64_t contacts = 0;
};

Result<AccountUsage> account_usage(store::PgConnection& conn, std::int64_t account_id);

}  // namespace wacrm::control
