// PgCrmStore: reminders, and claiming the due ones exactly once.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// Selects the columns reminder_at() reads from a reminders row set aliased
// "r" (a table or a data-modifying CTE), with the person folded to its root.
std::string reminder_select(std::string_view from) {
  return fmt::format(R"(
    SELECT r.id, {person}, r.body, crm_epoch_us(r.due_at), crm_epoch_us(r.created_at),
           crm_epoch_us(r.done_at), crm_epoch_us(r.notified_at), a.name
    FROM {from} r
    JOIN accounts a ON a.id = r.account_id
    LEFT JOIN contacts c ON c.id = r.contact_id
    LEFT JOIN crm_people p ON p.id = coalesce(c.merged_into, c.id))",
                     fmt::arg("person", crm_sql::person_columns("p")), fmt::arg("from", from));
}

Reminder reminder_at(const PgResult& r, int i) {
  Reminder out;
  out.id = r.int64(i, 0);
  if (!r.is_null(i, 1)) out.person = crm_sql::person_at(r, i, 1);
  out.body = r.text(i, 6);
  out.due_at = crm_sql::time_at(r, i, 7);
  out.created_at = crm_sql::time_at(r, i, 8);
  out.done_at = crm_sql::optional_time_at(r, i, 9);
  out.notified_at = crm_sql::optional_time_at(r, i, 10);
  return out;
}

Result<Reminder> one_reminder(Result<PgResult> r, std::int64_t id) {
  if (!r) return std::unexpected(r.error());
  if (r->rows() == 0) return make_error(Errc::not_found, fmt::format("no reminder #{}", id));
  return reminder_at(*r, 0);
}

}  // namespace

Result<Reminder> PgCrmStore::add_reminder(std::int64_t account_id, std::optional<std::int64_t> person_id,
                                          std::string_view body, TimePoint due_at) {
  static const std::string sql = R"(
    WITH added AS (
      INSERT INTO reminders (account_id, contact_id, body, due_at)
      VALUES ($1, $2, $3, crm_from_epoch_us($4)) RETURNING *))" + reminder_select("added");
  return one_reminder(conn_.exec(sql, {pg_int(account_id), pg_optional(person_id), pg_text(body),
                                       crm_sql::time_param(due_at)}),
                      0);
}

Result<std::vector<Reminder>> PgCrmStore::reminders(std::int64_t account_id, bool include_done) {
  static const std::string sql = reminder_select("reminders") + R"(
    WHERE r.account_id = $1 AND ($2 OR r.done_at IS NULL)
    ORDER BY r.done_at IS NOT NULL, r.due_at, r.id)";
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_bool(include_done)}));
  std::vector<Reminder> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(reminder_at(r, i));
  return out;
}

Result<Reminder> PgCrmStore::complete_reminder(std::int64_t account_id, std::int64_t id, TimePoint now) {
  // Completing twice keeps the first completion time.
  static const std::string sql = R"(
    WITH done AS (
      UPDATE reminders SET done_at = coalesce(done_at, crm_from_epoch_us($3))
      WHERE account_id = $1 AND id = $2 RETURNING *))" + reminder_select("done");
  return one_reminder(conn_.exec(sql, {pg_int(account_id), pg_int(id), crm_sql::time_param(now)}), id);
}

Result<Reminder> PgCrmStore::reschedule_reminder(std::int64_t account_id, std::int64_t id, TimePoint due_at) {
  static const std::string sql = R"(
    WITH moved AS (
      UPDATE reminders SET due_at = crm_from_epoch_us($3), notified_at = NULL
      WHERE account_id = $1 AND id = $2 AND done_at IS NULL RETURNING *))" + reminder_select("moved");
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_int(id), crm_sql::time_param(due_at)}));
  if (r.rows() == 1) return reminder_at(r, 0);
  auto done = WACRM_TRY(conn_.exec("SELECT done_at IS NOT NULL FROM reminders WHERE account_id = $1 AND id = $2",
                                   {pg_int(account_id), pg_int(id)}));
  if (done.rows() == 0) return make_error(Errc::not_found, fmt::format("no reminder #{}", id));
  return make_error(Errc::invalid_argument, fmt::format("reminder #{} is already done", id));
}

Result<std::vector<DueReminder>> PgCrmStore::claim_due_reminders(TimePoint now) {
  // One UPDATE claims and marks: a concurrent claimer blocks on the row locks
  // and then skips rows whose notified_at is no longer NULL.
  static const std::string sql = R"(
    WITH claimed AS (
      UPDATE reminders SET notified_at = crm_from_epoch_us($1)
      WHERE done_at IS NULL AND notified_at IS NULL AND due_at <= crm_from_epoch_us($1)
      RETURNING *))" + reminder_select("claimed") + R"(
    ORDER BY r.due_at, r.id)";
  auto r = WACRM_TRY(conn_.exec(sql, {crm_sql::time_param(now)}));
  std::vector<DueReminder> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({std::string(r.text(i, 11)), reminder_at(r, i)});
  return out;
}

}  // namespace wacrm::store
