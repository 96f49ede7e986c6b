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

// Params: $1 account, then one chat id per chat. Each chat is read in order
// from index messages_chat_time and the chats are merged (Merge Append), so
// the cursor streams from the first row without sorting the conversation.
// The sender is "Me", else the sender's person, the push name they had then,
// the person of a 1:1 chat, the JID's user part.
std::string export_cursor_sql(std::size_t chats) {
  std::string parts;
  for (std::size_t i = 0; i < chats; ++i) {
    if (i) parts += " UNION ALL ";
    parts += fmt::format(
        "(SELECT m.* FROM messages m WHERE m.account_id = $1 AND m.chat_id = ${} AND {} ORDER BY m.sent_at, m.id)",
        i + 2, crm_sql::kNotActingOnOthers);
  }
  return fmt::format(R"(
    DECLARE crm_export NO SCROLL CURSOR FOR
    SELECT m.id, ch.jid, crm_epoch_us(m.sent_at), to_char(m.sent_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
           m.from_me,
           CASE WHEN m.from_me THEN 'Me'
                ELSE coalesce(sp.name, nullif(m.push_name, ''), CASE WHEN NOT ch.is_group THEN op.name END,
                              split_part(m.sender_jid, '@', 1)) END,
           m.sender_jid, m.kind, m.body, m.file_name, m.deleted_at IS NOT NULL, m.edited_at IS NOT NULL
    FROM ({parts}) m
    JOIN chats ch ON ch.id = m.chat_id
    LEFT JOIN contacts oc ON oc.id = ch.contact_id
    LEFT JOIN crm_people op ON op.id = coalesce(oc.merged_into, oc.id)
    LEFT JOIN contacts sc ON sc.id = m.sender_contact_id
    LEFT JOIN crm_people sp ON sp.id = coalesce(sc.merged_into, sc.id)
    ORDER BY m.sent_at, m.id)", fmt::arg("parts", parts));
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
  if (chat_ids.empty()) return make_error(Errc::invalid_argument, "nothing to export: no chat given");
  // The cursor's plan: the ordered scans above are the right one for the
  // whole result too, not just for its first rows.
  WACRM_TRY(conn_.exec("SET LOCAL cursor_tuple_fraction = 1.0"));
  std::vector<PgParam> params{pg_int(account_id)};
  for (auto id : chat_ids) params.push_back(pg_int(id));
  WACRM_TRY(conn_.exec(export_cursor_sql(chat_ids.size()), params));
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
