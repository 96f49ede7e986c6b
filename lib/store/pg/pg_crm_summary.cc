// PgCrmStore: the dashboard's counts and most recent conversations.
#include <fmt/format.h>

#include "store/pg/pg_crm_conversations.h"
#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// Params: $1 account, $2 include groups (true), $3 limit.
const std::string& recent_sql() {
  static const std::string sql = crm_sql::conversation_ctes() + fmt::format(R"(
    SELECT {person}, ch.jid, {preview}
    FROM (SELECT * FROM conv_latest ORDER BY sent_at DESC, id DESC LIMIT $3) w
    {joins}
    JOIN messages lm ON lm.id = w.id
    ORDER BY lm.sent_at DESC, lm.id DESC)",
      fmt::arg("person", crm_sql::conversation_person_columns()),
      fmt::arg("preview", crm_sql::preview_columns("lm")), fmt::arg("joins", crm_sql::kConversationJoins));
  return sql;
}

// Params: $1 account, $2 now, $3 time zone.
const std::string& counts_sql() {
  static const std::string sql = fmt::format(R"(
    SELECT
      (SELECT count(*) FROM reminders
        WHERE account_id = $1 AND done_at IS NULL AND due_at <= crm_from_epoch_us($2)),
      (SELECT count(*) FROM messages m
        WHERE m.account_id = $1 AND {counted}
          AND m.sent_at >= (date_trunc('day', crm_from_epoch_us($2) AT TIME ZONE $3) AT TIME ZONE $3)
          AND m.sent_at <= crm_from_epoch_us($2)))", fmt::arg("counted", crm_sql::kCounted));
  return sql;
}

}  // namespace

Result<SummaryCounts> PgCrmStore::summary(std::int64_t account_id, TimePoint now, std::string_view tz,
                                          int default_cadence_days, int recent_limit) {
  WACRM_TRY(check_time_zone(tz));
  SummaryCounts out;
  // The same queries as the pending and attention lists, counted in SQL.
  out.pending = WACRM_TRY(count_pending(account_id, false));
  out.attention = WACRM_TRY(count_attention(account_id, now, default_cadence_days));
  auto counts = WACRM_TRY(conn_.exec(counts_sql(), {pg_int(account_id), crm_sql::time_param(now), pg_text(tz)}));
  out.reminders_due = counts.int64(0, 0);
  out.messages_today = counts.int64(0, 1);
  auto recent = WACRM_TRY(conn_.exec(recent_sql(), {pg_int(account_id), pg_bool(true), pg_int(recent_limit)}));
  for (int i = 0; i < recent.rows(); ++i)
    out.recent.push_back({crm_sql::person_at(recent, i, 0), std::string(recent.text(i, 5)),
                          crm_sql::preview_at(recent, i, 6)});
  return out;
}

}  // namespace wacrm::store
