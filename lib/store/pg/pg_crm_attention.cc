// PgCrmStore: people I have not exchanged a message with for longer than
// their cadence.
//
// The last exchange is the latest counted message, either direction, in any
// of the person's 1:1 chats (from crm_chat_state, see migration 002) (group chatter does not keep in touch). People
// with no message at all are left out (an address book holds many people one
// never writes to), unless the user set a cadence for them explicitly: then
// they are due one cadence after the contact was created.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// People due for attention as `due` (person columns, cadence, last_at,
// due_at), not yet filtered by due_at. Params: $1 account, $2 now, $3 default
// cadence in days.
constexpr std::string_view kDueCtes = R"(
    WITH last AS (
      SELECT o.person_id, max(s.last_at) AS last_at
      FROM crm_chat_owners o JOIN crm_chat_state s ON s.chat_id = o.chat_id
      WHERE o.account_id = $1 AND NOT o.is_group AND o.person_id IS NOT NULL
      GROUP BY o.person_id
    ),
    due AS (
      SELECT p.*, l.last_at, coalesce(p.cadence_days, $3::integer) AS cadence,
             coalesce(l.last_at, p.created_at) + make_interval(days => coalesce(p.cadence_days, $3::integer)) AS due_at
      FROM crm_people p LEFT JOIN last l ON l.person_id = p.id
      WHERE p.account_id = $1 AND NOT p.is_group AND NOT p.attention_excluded
        AND (l.last_at IS NOT NULL OR p.cadence_days IS NOT NULL)
    ))";

const std::string& attention_sql() {
  // Params: as kDueCtes, and $4 limit (NULL: all).
  static const std::string sql = std::string(kDueCtes) + fmt::format(R"(
    SELECT {person}, d.cadence, d.cadence_days IS NULL, crm_epoch_us(d.last_at), crm_epoch_us(d.due_at)
    FROM due d
    WHERE d.due_at < crm_from_epoch_us($2)
    ORDER BY d.due_at, d.id
    LIMIT $4)",
      fmt::arg("person", crm_sql::person_columns("d")));
  return sql;
}

// The dashboard's count: as many as attention() lists, without listing them.
const std::string& attention_count_sql() {
  static const std::string sql =
      std::string(kDueCtes) + " SELECT count(*) FROM due d WHERE d.due_at < crm_from_epoch_us($2)";
  return sql;
}

}  // namespace

Result<std::int64_t> PgCrmStore::count_attention(std::int64_t account_id, TimePoint now, int default_cadence_days) {
  auto r = WACRM_TRY(conn_.exec(attention_count_sql(),
                                {pg_int(account_id), crm_sql::time_param(now), pg_int(default_cadence_days)}));
  return r.int64(0, 0);
}

Result<std::vector<AttentionItem>> PgCrmStore::attention(const AttentionQuery& query) {
  auto r = WACRM_TRY(conn_.exec(attention_sql(),
                                {pg_int(query.account_id), crm_sql::time_param(query.now),
                                 pg_int(query.default_cadence_days),
                                 query.limit > 0 ? pg_int(query.limit) : PgParam(PgNull{})}));
  std::vector<AttentionItem> out;
  for (int i = 0; i < r.rows(); ++i) {
    AttentionItem item;
    item.person = crm_sql::person_at(r, i, 0);
    item.cadence_days = static_cast<int>(r.int64(i, 5));
    item.cadence_is_default = r.boolean(i, 6);
    item.last_exchange = crm_sql::optional_time_at(r, i, 7);
    item.due_at = crm_sql::time_at(r, i, 8);
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace wacrm::store
