// PgCrmStore: the previews the event stream shows for newly stored messages.
#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

Result<std::vector<std::pair<std::int64_t, CrmMessagePreview>>> PgCrmStore::message_previews(
    std::span<const std::int64_t> message_ids) {
  std::vector<std::pair<std::int64_t, CrmMessagePreview>> out;
  if (message_ids.empty()) return out;
  static const std::string sql = "SELECT m.id, " + crm_sql::preview_columns("m") +
                                 " FROM messages m WHERE m.id = ANY($1::bigint[]) ORDER BY m.id";
  auto rows = WACRM_TRY(conn_.exec(sql, {crm_sql::ids_param(message_ids)}));
  for (int i = 0; i < rows.rows(); ++i) out.emplace_back(rows.int64(i, 0), crm_sql::preview_at(rows, i, 1));
  return out;
}

}  // namespace wacrm::store
