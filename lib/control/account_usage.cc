#include "control/account_usage.h"

namespace wacrm::control {

Result<AccountUsage> account_usage(store::PgConnection& conn, std::int64_t account_id) {
  auto res = WACRM_TRY(conn.exec(
      "SELECT (SELECT count(*) FROM messages WHERE account_id = $1),"
      "       (SELECT count(*) FROM contacts WHERE account_id = $1)",
      {store::pg_int(account_id)}));
  return AccountUsage{res.int64(0, 0), res.int64(0, 1)};
}

}  // namespace wacrm::control
