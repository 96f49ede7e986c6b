// PgCrmStore: folding one contact into another, and back. The checks here
// give the user readable errors; the trigger of migration 002 enforces the
// same rules for any other writer.
#include <fmt/format.h>

#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

Status PgCrmStore::merge(std::int64_t account_id, std::int64_t keep, std::int64_t fold) {
  if (keep == fold) return make_error(Errc::invalid_argument, "a contact cannot be merged into itself");
  auto tx = WACRM_TRY(PgTransaction::begin(conn_));
  auto r = WACRM_TRY(conn_.exec(R"(
    SELECT id, merged_into, is_group FROM contacts
    WHERE account_id = $1 AND id IN ($2, $3) ORDER BY id FOR UPDATE)",
                                {pg_int(account_id), pg_int(keep), pg_int(fold)}));
  bool found_keep = false, found_fold = false;
  for (int i = 0; i < r.rows(); ++i) {
    std::int64_t id = r.int64(i, 0);
    if (r.boolean(i, 2)) return make_error(Errc::invalid_argument, fmt::format("contact {} is a group; groups cannot be merged", id));
    if (id == keep) {
      found_keep = true;
      if (!r.is_null(i, 1))
        return make_error(Errc::invalid_argument,
                          fmt::format("contact {} is itself merged into {}; merge into that one", keep, r.int64(i, 1)));
    } else {
      found_fold = true;
      if (r.int64(i, 1) == keep)
        return make_error(Errc::already_exists, fmt::format("contact {} is already merged into {}", fold, keep));
    }
  }
  if (!found_keep) return make_error(Errc::not_found, fmt::format("no contact with id {}", keep));
  if (!found_fold) return make_error(Errc::not_found, fmt::format("no contact with id {}", fold));

  // Whatever was merged into `fold` moves along to `keep` (merges stay one
  // level deep), then `fold` itself, which may have been merged elsewhere.
  WACRM_TRY(conn_.exec("UPDATE contacts SET merged_into = $2, updated_at = now() WHERE account_id = $1 AND merged_into = $3",
                       {pg_int(account_id), pg_int(keep), pg_int(fold)}));
  WACRM_TRY(conn_.exec("UPDATE contacts SET merged_into = $2, updated_at = now() WHERE account_id = $1 AND id = $3",
                       {pg_int(account_id), pg_int(keep), pg_int(fold)}));
  return tx.commit();
}

Status PgCrmStore::unmerge(std::int64_t account_id, std::int64_t contact_id) {
  auto r = WACRM_TRY(conn_.exec(R"(
    WITH target AS (SELECT id, merged_into FROM contacts WHERE account_id = $1 AND id = $2),
    detached AS (
      UPDATE contacts c SET merged_into = NULL, updated_at = now()
      FROM target t WHERE c.id = t.id AND t.merged_into IS NOT NULL RETURNING c.id)
    SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM detached))",
                                {pg_int(account_id), pg_int(contact_id)}));
  if (r.int64(0, 0) == 0) return make_error(Errc::not_found, fmt::format("no contact with id {}", contact_id));
  if (r.int64(0, 1) == 0)
    return make_error(Errc::invalid_argument, fmt::format("contact {} is not merged into another", contact_id));
  return {};
}

}  // namespace wacrm::store
