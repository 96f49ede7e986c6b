// PgMessageRepository: the lists behind `wacrmctl messages|chats|contacts`.
// Names come from the CRM's views (migration 002), so a merged contact shows
// as the person it was merged into.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_message_repository.h"
#include "store/pg/pg_message_sql.h"

namespace wacrm::store {

namespace {

using crm_sql::optional_time_at;
using crm_sql::time_at;

}  // namespace

Result<std::vector<StoredMessage>> PgMessageRepository::messages(const MessageQuery& q) {
  auto r = WACRM_TRY(conn_.exec(R"(
    SELECT * FROM (
      SELECT m.id, c.jid, m.wa_id, m.sender_jid,
             CASE WHEN m.from_me THEN '' ELSE coalesce(p.name, m.push_name, split_part(m.sender_jid, '@', 1)) END,
             m.from_me, crm_epoch_us(m.sent_at) AS at, m.kind, m.body, m.file_name, m.quoted_wa_id, m.target_wa_id,
             m.status, crm_epoch_us(m.deleted_at), crm_epoch_us(m.edited_at), m.decrypt_error, md.mimetype
      FROM messages m
      JOIN chats c ON c.id = m.chat_id
      LEFT JOIN contacts sc ON sc.id = m.sender_contact_id
      LEFT JOIN crm_people p ON p.id = coalesce(sc.merged_into, sc.id)
      LEFT JOIN media md ON md.message_id = m.id
      WHERE m.account_id = $1
        AND ($2::bigint[] IS NULL OR m.chat_id = ANY($2::bigint[]))
        AND ($3::bigint IS NULL OR m.sent_at < crm_from_epoch_us($3))
      ORDER BY m.sent_at DESC, m.id DESC
      LIMIT $4) page
    ORDER BY at, id)",
                                {pg_int(q.account_id),
                                 q.chat_ids.empty() ? PgParam(PgNull{}) : crm_sql::ids_param(q.chat_ids),
                                 q.before ? crm_sql::time_param(*q.before) : PgParam(PgNull{}), pg_int(q.limit)}));
  std::vector<StoredMessage> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    StoredMessage m;
    m.id = r.int64(i, 0);
    m.chat_jid = r.text(i, 1);
    m.wa_id = r.text(i, 2);
    m.sender_jid = r.text(i, 3);
    m.sender_name = r.text(i, 4);
    m.from_me = r.boolean(i, 5);
    m.sent_at = time_at(r, i, 6);
    m.kind = r.text(i, 7);
    m.body = r.optional_text(i, 8);
    m.file_name = r.optional_text(i, 9);
    m.quoted_wa_id = r.optional_text(i, 10);
    m.target_wa_id = r.optional_text(i, 11);
    m.status = r.optional_text(i, 12);
    m.deleted_at = optional_time_at(r, i, 13);
    m.edited_at = optional_time_at(r, i, 14);
    m.decrypt_error = r.optional_text(i, 15);
    m.mimetype = r.optional_text(i, 16);
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<ChatSummary>> PgMessageRepository::chats(std::int64_t account_id) {
  auto r = WACRM_TRY(conn_.exec(R"(
    SELECT ch.id, ch.jid, coalesce(nullif(ch.subject, ''), p.name, split_part(ch.jid, '@', 1)), ch.is_group,
           crm_epoch_us(ch.last_message_at), (SELECT count(*) FROM messages m WHERE m.chat_id = ch.id)
    FROM chats ch
    LEFT JOIN crm_chat_owners o ON o.chat_id = ch.id
    LEFT JOIN crm_people p ON p.id = o.person_id
    WHERE ch.account_id = $1
      -- Not a chat of protocol messages only (our own phone's key shares and
      -- sync notices land in a chat with our own number); a chat without
      -- any message yet (a group known from its metadata) is listed.
      AND (NOT EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = ch.id)
           OR EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = ch.id AND m.kind <> 'system'))
    ORDER BY ch.last_message_at DESC NULLS LAST, ch.id)",
                                {pg_int(account_id)}));
  std::vector<ChatSummary> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(ChatSummary{r.int64(i, 0), std::string(r.text(i, 1)), std::string(r.text(i, 2)), r.boolean(i, 3),
                              optional_time_at(r, i, 4), r.int64(i, 5)});
  return out;
}

Result<std::optional<std::int64_t>> PgMessageRepository::chat_id(std::int64_t account_id, std::string_view jid) {
  auto r = WACRM_TRY(conn_.exec(
      fmt::format("SELECT id FROM chats WHERE account_id = $1 AND jid = ANY({}) ORDER BY jid = $2 DESC LIMIT 1",
                  message_sql::jid_forms(1, 2)),
      {pg_int(account_id), pg_text(jid)}));
  if (r.rows() == 0) return std::nullopt;
  return r.int64(0, 0);
}

Result<std::vector<ContactSummary>> PgMessageRepository::contacts(std::int64_t account_id) {
  // A person's LID and interaction times may sit on a row merged into it.
  auto r = WACRM_TRY(conn_.exec(R"(
    SELECT c.id, crm_contact_name(c.full_name, c.push_name, c.business_name, c.first_name, c.phone, c.jid) AS name,
           c.jid, coalesce(c.lid, f.lid), c.phone, c.push_name,
           crm_epoch_us(greatest(c.last_inbound_at, f.last_inbound_at)),
           crm_epoch_us(greatest(c.last_outbound_at, f.last_outbound_at)), f.merged
    FROM contacts c
    CROSS JOIN LATERAL (
      SELECT min(r.lid) AS lid, max(r.last_inbound_at) AS last_inbound_at,
             max(r.last_outbound_at) AS last_outbound_at, count(*) AS merged
      FROM contacts r WHERE r.merged_into = c.id) f
    WHERE c.account_id = $1 AND c.merged_into IS NULL AND NOT c.is_group
    ORDER BY lower(crm_contact_name(c.full_name, c.push_name, c.business_name, c.first_name, c.phone, c.jid)), c.id)",
                                {pg_int(account_id)}));
  std::vector<ContactSummary> out;
  for (int i = 0; i < r.rows(); ++i) {
    ContactSummary c;
    c.id = r.int64(i, 0);
    c.name = r.text(i, 1);
    c.jid = r.text(i, 2);
    c.lid = r.optional_text(i, 3);
    c.phone = r.optional_text(i, 4);
    c.push_name = r.optional_text(i, 5);
    c.last_inbound_at = optional_time_at(r, i, 6);
    c.last_outbound_at = optional_time_at(r, i, 7);
    c.merged_rows = static_cast<int>(r.int64(i, 8));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace wacrm::store
