// PgCrmStore: which account a request means, and time zone checks.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

Result<std::int64_t> PgCrmStore::account_id(std::string_view name) {
  if (!name.empty()) {
    auto r = WACRM_TRY(conn_.exec("SELECT id FROM accounts WHERE name = $1", {pg_text(name)}));
    if (r.rows() == 0) return make_error(Errc::not_found, fmt::format("no account named '{}'", name));
    return r.int64(0, 0);
  }
  auto r = WACRM_TRY(conn_.exec("SELECT id, name FROM accounts ORDER BY name"));
  if (r.rows() == 0) return make_error(Errc::not_found, "no account exists yet (add one with 'account add NAME')");
  if (r.rows() > 1) {
    std::vector<std::string_view> names;
    for (int i = 0; i < r.rows(); ++i) names.push_back(r.text(i, 1));
    return make_error(Errc::invalid_argument,
                      fmt::format("several accounts exist ({}): say which one", fmt::join(names, ", ")));
  }
  return r.int64(0, 0);
}

Result<std::vector<std::int64_t>> PgCrmStore::account_ids() {
  auto r = WACRM_TRY(conn_.exec("SELECT id FROM accounts ORDER BY id"));
  std::vector<std::int64_t> ids;
  for (int i = 0; i < r.rows(); ++i) ids.push_back(r.int64(i, 0));
  return ids;
}

Status PgCrmStore::check_time_zone(std::string_view tz) {
  // AT TIME ZONE rejects an unknown name (SQLSTATE 22023); the view
  // pg_timezone_names would also do but reads every zone file.
  auto r = conn_.exec("SELECT now() AT TIME ZONE $1", {pg_text(tz)});
  if (!r) {
    if (r.error().code == Errc::invalid_argument)
      return make_error(Errc::invalid_argument,
                        fmt::format("unknown time zone '{}': use an IANA name such as Europe/Berlin or UTC", tz));
    return std::unexpected(r.error());
  }
  return {};
}

Result<TimePoint> PgCrmStore::local_to_instant(std::string_view local, std::string_view tz) {
  WACRM_TRY(check_time_zone(tz));
  auto r = WACRM_TRY(
      conn_.exec("SELECT crm_epoch_us($1::timestamp AT TIME ZONE $2)", {pg_text(local), pg_text(tz)}));
  return crm_sql::time_at(r, 0, 0);
}

}  // namespace wacrm::store
