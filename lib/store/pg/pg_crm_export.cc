// PgCrmStore: a conversation's chats, and streaming its messages out.
//
// Export reads through a server-side cursor inside one transaction: the
// query runs once, rows arrive batch_size at a time, memory stays flat
// whatever the chat's length, and every batch comes from the same snapshot.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

constexpr std::string_view kChatColumns =
    "o.chat_id, o.jid, o.is_group, coalesce(p.name, nullif(o.subject, ''), split_part(o.jid, '@', 1))";

CrmChat chat_at(const PgResult& r, int i) {
  return CrmChat{r.int64(i, 0), std::string(r.text(i, 1)), r.boolean(i, 2), std::string(r.text(i, 3))};
}

// Params: $1 account, $2 chat ids. The sender is "Me", else the sender's
// person, the push name they had then, the person of a 1:1 chat, the JID's user.
const std::string& export_cursor_sql() {
  static const std::string sql = fmt::format(R"(
    DECLARE crm_export NO SCROLL CURSOR FOR
    SELECT m.id, o.jid, crm_epoch_us(m.sent_at), to_char(m.sent_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
           m.from_me,
           CASE WHEN m.from_me THEN 'Me'
                ELSE coalesce(sp.name, nullif(m.push_name, ''), CASE WHEN NOT o.is_group THEN op.name END,
                              split_part(m.sender_jid, '@', 1)) END,
           m.sender_jid, m.kind, m.body, m.file_name, m.deleted_at IS NOT NULL, m.edited_at IS NOT NULL
    FROM messages m
    JOIN crm_chat_owners o ON o.chat_id = m.chat_id
    LEFT JOIN crm_people op ON op.id = o.person_id
    LEFT JOIN contacts sc ON sc.id = m.sender_contact_id
    LEFT JOIN crm_people sp ON sp.id = coalesce(sc.merged_into, sc.id)
    WHERE m.account_id = $1 AND m.chat_id = ANY($2::bigint[]) AND {acting}
    ORDER BY m.sent_at, m.id)", fmt::arg("acting", crm_sql::kNotActingOnOthers));
  return sql;
}

}  // namespace

Result<std::vector<CrmChat>> PgCrmStore::conversation_chats(std::int64_t account_id, std::int64_t person_id) {
  static const std::string sql = fmt::format(R"(
    SELECT {} FROM crm_chat_owners o LEFT JOIN crm_people p ON p.id = o.person_id
    WHERE o.account_id = $1 AND o.person_id = $2 ORDER BY o.chat_id)", kChatColumns);
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_int(person_id)}));
  std::vector<CrmChat> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(chat_at(r, i));
  return out;
}

Result<CrmChat> PgCrmStore::chat_by_jid(std::int64_t account_id, std::string_view jid) {
  static const std::string sql = fmt::format(R"(
    SELECT {} FROM crm_chat_owners o LEFT JOIN crm_people p ON p.id = o.person_id
    WHERE o.account_id = $1 AND o.jid = $2)", kChatColumns);
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_text(jid)}));
  if (r.rows() == 0) return make_error(Errc::not_found, fmt::format("no chat '{}'", jid));
  return chat_at(r, 0);
}

Status PgCrmStore::export_messages(std::int64_t account_id, std::span<const std::int64_t> chat_ids,
                                   std::string_view tz, int batch_size, const ExportBatchSink& sink) {
  if (batch_size <= 0) return make_error(Errc::invalid_argument, "export batch size must be positive");
  WACRM_TRY(check_time_zone(tz));
  auto tx = WACRM_TRY(PgTransaction::begin(conn_));
  // to_char's TZH:TZM and the local wall clock follow the session time zone,
  // set for this transaction only.
  WACRM_TRY(conn_.exec("SELECT set_config('TimeZone', $1, true)", {pg_text(tz)}));
  WACRM_TRY(conn_.exec(export_cursor_sql(), {pg_int(account_id), crm_sql::ids_param(chat_ids)}));
  const std::string fetch = fmt::format("FETCH FORWARD {} FROM crm_export", batch_size);
  std::vector<ExportMessage> batch;
  batch.reserve(static_cast<std::size_t>(batch_size));
  for (;;) {
    auto r = WACRM_TRY(conn_.exec(fetch));
    if (r.rows() == 0) break;
    batch.clear();
    for (int i = 0; i < r.rows(); ++i) {
      ExportMessage m;
      m.id = r.int64(i, 0);
      m.chat_jid = r.text(i, 1);
      m.sent_at = crm_sql::time_at(r, i, 2);
      m.local_time = r.text(i, 3);
      m.from_me = r.boolean(i, 4);
      m.sender = r.text(i, 5);
      m.sender_jid = r.text(i, 6);
      m.kind = r.text(i, 7);
      m.body = r.optional_text(i, 8);
      m.file_name = r.optional_text(i, 9);
      m.deleted = r.boolean(i, 10);
      m.edited = r.boolean(i, 11);
      batch.push_back(std::move(m));
    }
    WACRM_TRY(sink(batch));
    if (r.rows() < batch_size) break;
  }
  WACRM_TRY(conn_.exec("CLOSE crm_export"));
  return tx.commit();
}

}  // namespace wacrm::store
