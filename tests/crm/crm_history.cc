#include "crm/crm_history.h"

#include <stdexcept>

#include "store/pg/pg_time.h"

namespace wacrm::testing {

using store::pg_bool;
using store::pg_int;
using store::pg_optional;
using store::pg_text;
using store::PgNull;
using store::PgParam;

namespace {

store::PgResult must(Result<store::PgResult> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().to_string());
  return std::move(*r);
}

PgParam time_text(TimePoint t) { return pg_text(store::format_timestamptz(t)); }

}  // namespace

CrmHistory::CrmHistory(store::PgConnection& conn, std::string account_name) : conn_(conn) {
  auto r = must(conn_.exec("INSERT INTO accounts (name, jid) VALUES ($1, 'me@s.whatsapp.net') RETURNING id",
                           {pg_text(account_name)}),
                "add account");
  account_id_ = r.int64(0, 0);
}

std::int64_t CrmHistory::contact(const ContactSpec& s) {
  auto r = must(conn_.exec(R"(
      INSERT INTO contacts (account_id, jid, full_name, push_name, phone, lid, is_group, cadence_days,
                            attention_excluded, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8::integer, $9, coalesce($10::timestamptz, '2024-01-01T00:00:00Z'))
      RETURNING id)",
                           {pg_int(account_id_), pg_text(s.jid), pg_optional(s.full_name), pg_optional(s.push_name),
                            pg_optional(s.phone), pg_optional(s.lid), pg_bool(s.is_group),
                            s.cadence_days ? pg_int(*s.cadence_days) : PgParam(PgNull{}),
                            pg_bool(s.attention_excluded),
                            s.created_at ? time_text(*s.created_at) : PgParam(PgNull{})}),
                "add contact");
  return r.int64(0, 0);
}

std::int64_t CrmHistory::person(const std::string& name, const std::string& phone) {
  auto id = contact({.jid = phone + "@s.whatsapp.net", .full_name = name, .phone = phone});
  chat(phone + "@s.whatsapp.net", id);
  return id;
}

std::int64_t CrmHistory::group(const std::string& subject, const std::string& jid) {
  auto id = contact({.jid = jid, .is_group = true});
  chat(jid, id, true, subject);
  return id;
}

std::int64_t CrmHistory::chat(const std::string& jid, std::optional<std::int64_t> contact_id, bool is_group,
                              std::optional<std::string> subject) {
  auto r = must(conn_.exec(
                    "INSERT INTO chats (account_id, jid, contact_id, is_group, subject) VALUES ($1, $2, $3, $4, $5) "
                    "RETURNING id",
                    {pg_int(account_id_), pg_text(jid), pg_optional(contact_id), pg_bool(is_group), pg_optional(subject)}),
                "add chat");
  return r.int64(0, 0);
}

std::int64_t CrmHistory::chat_of(std::int64_t contact_id) const {
  auto r = must(const_cast<store::PgConnection&>(conn_).exec(
                    "SELECT id FROM chats WHERE contact_id = $1 ORDER BY id LIMIT 1", {pg_int(contact_id)}),
                "find chat");
  if (r.rows() == 0) throw std::runtime_error("contact has no chat");
  return r.int64(0, 0);
}

std::int64_t CrmHistory::message(std::int64_t chat_id, bool from_me, TimePoint at, const MessageSpec& s) {
  auto r = must(conn_.exec(R"(
      INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, sender_contact_id, from_me, sent_at, kind,
                            body, file_name, deleted_at, edited_at)
      SELECT $1, c.id, $3,
             coalesce(nullif($4, ''), CASE WHEN $5 THEN 'me@s.whatsapp.net' ELSE c.jid END),
             $6, $5, $7::timestamptz, $8, $9, $10,
             CASE WHEN $11 THEN $7::timestamptz END, CASE WHEN $12 THEN $7::timestamptz END
      FROM chats c WHERE c.id = $2
      RETURNING id)",
                           {pg_int(account_id_), pg_int(chat_id), pg_text("M" + std::to_string(next_wa_id_++)),
                            pg_text(s.sender_jid), pg_bool(from_me), pg_optional(s.sender_contact), time_text(at),
                            pg_text(s.kind), pg_optional(s.body), pg_optional(s.file_name), pg_bool(s.deleted),
                            pg_bool(s.edited)}),
                "add message");
  if (r.rows() == 0) throw std::runtime_error("no such chat");
  return r.int64(0, 0);
}

std::string CrmHistory::sql(const std::string& statement) {
  auto r = must(conn_.exec(statement), statement.c_str());
  return r.rows() > 0 && r.columns() > 0 ? std::string(r.text(0, 0)) : std::string();
}

}  // namespace wacrm::testing
