// PgCrmStore: pending replies, dismissing them, and the once-per-wait
// "overdue reply" events.
#include <fmt/format.h>

#include "store/pg/pg_crm_conversations.h"
#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// Pending rows with their person and last message, oldest wait first.
// Params: $1 account, $2 include groups, $3 limit (NULL: all), $4 only those
// waiting since at most this instant (NULL: all), $5 only those not yet
// notified for this wait.
const std::string& pending_select_sql() {
  static const std::string sql = crm_sql::pending_ctes() + fmt::format(R"(
    SELECT {person}, ch.jid, crm_epoch_us(w.since), w.unanswered, {preview}, w.conv
    FROM pending_rows w {joins}
    JOIN messages lm ON lm.id = w.last_id
    WHERE ($4::bigint IS NULL OR w.since <= crm_from_epoch_us($4))
      AND (NOT $5 OR w.notified_at IS NULL OR w.notified_at < w.since)
    ORDER BY w.since, w.conv
    LIMIT $3)",
      fmt::arg("person", crm_sql::conversation_person_columns()),
      fmt::arg("preview", crm_sql::preview_columns("lm")), fmt::arg("joins", crm_sql::kConversationJoins));
  return sql;
}

// The dashboard's count of what pending() lists. Params: $1 account, $2 include groups.
const std::string& pending_count_sql() {
  static const std::string sql = crm_sql::pending_ctes() + " SELECT count(*) FROM pending_rows w";
  return sql;
}

PendingReply pending_at(const PgResult& r, int i) {
  PendingReply p;
  p.person = crm_sql::person_at(r, i, 0);
  p.chat_jid = r.text(i, 5);
  p.waiting_since = crm_sql::time_at(r, i, 6);
  p.unanswered = static_cast<int>(r.int64(i, 7));
  p.last = crm_sql::preview_at(r, i, 8);
  return p;
}

}  // namespace

Result<std::vector<PendingReply>> PgCrmStore::pending(const PendingQuery& query) {
  auto r = WACRM_TRY(conn_.exec(pending_select_sql(),
                                {pg_int(query.account_id), pg_bool(query.include_groups),
                                 query.limit > 0 ? pg_int(query.limit) : PgParam(PgNull{}), PgNull{},
                                 pg_bool(false)}));
  std::vector<PendingReply> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(pending_at(r, i));
  return out;
}

Result<std::int64_t> PgCrmStore::count_pending(std::int64_t account_id, bool include_groups) {
  auto r = WACRM_TRY(conn_.exec(pending_count_sql(), {pg_int(account_id), pg_bool(include_groups)}));
  return r.int64(0, 0);
}

Status PgCrmStore::dismiss_pending(std::int64_t account_id, std::span<const std::int64_t> chat_ids,
                                   TimePoint now) {
  auto r = WACRM_TRY(conn_.exec(
      "UPDATE chats SET pending_dismissed_at = crm_from_epoch_us($3) WHERE account_id = $1 AND id = ANY($2::bigint[])",
      {pg_int(account_id), crm_sql::ids_param(chat_ids), crm_sql::time_param(now)}));
  if (r.affected() == 0) return make_error(Errc::not_found, "no such chat to dismiss");
  return {};
}

Result<std::vector<OverduePending>> PgCrmStore::claim_overdue_pending(TimePoint now, std::chrono::seconds after) {
  auto accounts = WACRM_TRY(conn_.exec("SELECT id, name FROM accounts ORDER BY id"));
  auto tx = WACRM_TRY(PgTransaction::begin(conn_));
  // Claimers (two daemons, or a slow tick overlapping the next) queue here
  // instead of both raising the same event.
  WACRM_TRY(conn_.exec("SELECT pg_advisory_xact_lock(hashtext('wacrm.crm.claim_overdue_pending'))"));
  std::vector<OverduePending> out;
  for (int a = 0; a < accounts.rows(); ++a) {
    std::int64_t account_id = accounts.int64(a, 0);
    auto r = WACRM_TRY(conn_.exec(pending_select_sql(), {pg_int(account_id), pg_bool(false), PgNull{},
                                                         crm_sql::time_param(now - after), pg_bool(true)}));
    std::vector<std::int64_t> conversations;
    for (int i = 0; i < r.rows(); ++i) {
      conversations.push_back(r.int64(i, 12));
      out.push_back({std::string(accounts.text(a, 1)), pending_at(r, i)});
    }
    if (conversations.empty()) continue;
    // Mark every chat of each claimed conversation.
    WACRM_TRY(conn_.exec(R"(
      UPDATE chats SET pending_notified_at = crm_from_epoch_us($3)
      WHERE id IN (SELECT chat_id FROM crm_chat_owners
                   WHERE account_id = $1 AND coalesce(person_id, -chat_id) = ANY($2::bigint[])))",
                         {pg_int(account_id), crm_sql::ids_param(conversations), crm_sql::time_param(now)}));
  }
  WACRM_TRY(tx.commit());
  return out;
}

}  // namespace wacrm::store
