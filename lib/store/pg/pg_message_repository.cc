// PgMessageRepository: the messages themselves -- insert once, placeholders
// replaced in place, media, edits and revokes applied to their targets (also
// when the target arrives after them), and our messages' receipt status.
#include "store/pg/pg_message_repository.h"

#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_message_sql.h"

namespace wacrm::store {

namespace {

using crm_sql::time_param;

// Whether a message counts as an interaction (see store/crm_store.h).
bool is_interaction(const NewMessage& m) {
  return !acts_on_another(m.kind) && m.kind != "system" && m.kind != "placeholder";
}

// The rows an edit or revoke may act on: $1 account, $2 chat, $3 target id,
// $4 target is ours, $5 its author when not ours (NULL: any).
std::string target_rows() {
  return fmt::format(
      "account_id = $1 AND chat_id = $2 AND wa_id = $3 AND kind NOT IN ('edit', 'revoke', 'reaction') "
      "AND from_me = $4 AND ($4 OR $5::text IS NULL OR sender_jid = ANY({}))",
      message_sql::jid_forms(1, 5));
}

}  // namespace

Result<std::optional<ExistingMessage>> PgMessageRepository::find(std::int64_t account_id, std::string_view chat_jid,
                                                                 std::string_view wa_id,
                                                                 std::string_view sender_jid) {
  const MessageKey key{std::string(chat_jid), std::string(wa_id), std::string(sender_jid)};
  auto found = WACRM_TRY(find_many(account_id, std::span(&key, 1)));
  return found.front();
}

Result<std::vector<std::optional<ExistingMessage>>> PgMessageRepository::find_many(std::int64_t account_id,
                                                                                   std::span<const MessageKey> keys) {
  std::vector<std::optional<ExistingMessage>> found(keys.size());
  if (keys.empty()) return found;
  std::vector<std::string> chat_jids, wa_ids, sender_jids;
  for (const MessageKey& k : keys) {
    chat_jids.push_back(storable_text(k.chat_jid));
    wa_ids.push_back(storable_text(k.wa_id));
    sender_jids.push_back(storable_text(k.sender_jid));
  }
  // Key by key on the full unique key (wacrm_find_messages, migrations/007):
  // one statement joining all keys let the planner walk whole chats.
  auto r = WACRM_TRY(conn_.exec("SELECT * FROM wacrm_find_messages($1, $2, $3, $4)",
                                {pg_int(account_id), crm_sql::texts_param(chat_jids), crm_sql::texts_param(wa_ids),
                                 crm_sql::texts_param(sender_jids)}));
  for (int row = 0; row < r.rows(); ++row)
    found[static_cast<std::size_t>(r.int64(row, 0))] =
        ExistingMessage{r.int64(row, 1), r.boolean(row, 2), static_cast<int>(r.int64(row, 3))};
  return found;
}

Result<PgMessageRepository::PeopleArgs> PgMessageRepository::people_args(const NewMessage& m) {
  PeopleArgs args;
  const bool interaction = is_interaction(m);
  if (interaction) args.last = m.sent_at;
  if (interaction && m.from_me) args.outbound = m.sent_at;
  if (interaction && !m.from_me) args.inbound = m.sent_at;
  if (m.sender) args.sender = WACRM_TRY(contact_key(m.account_id, *m.sender, !m.pairs_recorded));
  if (m.chat_is_group && m.chat_jid.ends_with("@g.us")) {
    args.chat_mode = "group";
  } else if (!m.chat_is_group && m.chat_person && m.sender && !m.from_me && m.sender->jid == m.chat_person->jid) {
    args.chat_mode = "sender";  // an incoming 1:1 message: the sender is the chat's person
  } else if (!m.chat_is_group && m.chat_person) {
    args.chat_mode = "person";
    args.chat_person = WACRM_TRY(contact_key(m.account_id, *m.chat_person, !m.pairs_recorded));
  }
  return args;
}

Result<StoreResult> PgMessageRepository::store(const NewMessage& input) {
  const NewMessage m = storable_message(input);
  const PeopleArgs people = WACRM_TRY(people_args(m));

  // Contacts, chat and message in one call (wacrm_store_message, migrations/004).
  auto optional_time = [](const std::optional<MessageTime>& t) { return t ? time_param(*t) : PgParam(PgNull{}); };
  auto text_or_null = [](std::string_view s) { return s.empty() ? PgParam(PgNull{}) : pg_text(s); };
  std::vector<PgParam> params{pg_int(m.account_id)};
  if (people.sender) {
    params.insert(params.end(), {pg_text(people.sender->jid), pg_optional(people.sender->lid),
                                 text_or_null(people.sender->phone), pg_optional(m.sender->push_name)});
  } else {
    params.insert(params.end(), {PgNull{}, PgNull{}, PgNull{}, PgNull{}});
  }
  if (people.chat_mode == "group") {
    params.insert(params.end(), {pg_text("group"), pg_text(m.chat_jid), PgNull{}, PgNull{}, PgNull{}});
  } else if (people.chat_person) {
    params.insert(params.end(), {pg_text("person"), pg_text(people.chat_person->jid),
                                 pg_optional(people.chat_person->lid), text_or_null(people.chat_person->phone),
                                 pg_optional(m.chat_person->push_name)});
  } else {
    params.insert(params.end(), {text_or_null(people.chat_mode), PgNull{}, PgNull{}, PgNull{}, PgNull{}});
  }
  params.insert(params.end(),
                {optional_time(people.inbound), optional_time(people.outbound), optional_time(people.last),
                 pg_text(m.chat_jid), pg_bool(m.chat_is_group), pg_text(m.wa_id), pg_text(m.sender_jid),
                 pg_bool(m.from_me), time_param(m.sent_at), pg_text(m.kind), pg_optional(m.body),
                 pg_optional(m.file_name), pg_optional(m.quoted_wa_id),
                 m.target ? pg_text(m.target->wa_id) : PgParam(PgNull{}), pg_optional(m.push_name),
                 m.status ? pg_text(message_status_name(*m.status)) : PgParam(PgNull{}), pg_optional(m.decrypt_error),
                 pg_int(m.decrypt_retries), m.raw ? pg_bytes(*m.raw) : PgParam(PgNull{})});
  auto r = WACRM_TRY(conn_.exec(
      "SELECT * FROM wacrm_store_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
      "$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)",
      params));
  StoreResult result;
  if (r.is_null(0, 1)) {
    result.outcome = StoreOutcome::already_stored;
    return result;
  }
  result.message_id = r.int64(0, 1);
  WACRM_TRY(finish_store(m, r.int64(0, 0), r.boolean(0, 2), r.boolean(0, 3), result));
  return result;
}

Status PgMessageRepository::finish_store(const NewMessage& m, std::int64_t chat_id, bool inserted, bool has_early,
                                         StoreResult& result) {
  const bool placeholder = m.kind == "placeholder";
  if (inserted) result.outcome = StoreOutcome::inserted;
  else result.outcome = placeholder ? StoreOutcome::placeholder_updated : StoreOutcome::replaced_placeholder;
  if (placeholder) return {};

  if (m.media) WACRM_TRY(store_media(result.message_id, *m.media));
  if (m.target) result.target_applied = WACRM_TRY(apply_to_target(m, chat_id, result.message_id));
  if (has_early && !acts_on_another(m.kind)) WACRM_TRY(apply_early_arrivals(m, chat_id, result.message_id));
  return {};
}

Status PgMessageRepository::store_media(std::int64_t message_id, const MediaRecord& media) {
  auto bytes_or_null = [](const std::optional<Bytes>& b) { return b ? pg_bytes(*b) : PgParam(PgNull{}); };
  WACRM_TRY(conn_.exec(R"(
    INSERT INTO media (message_id, mimetype, file_length, file_sha256, file_enc_sha256, media_key, direct_path, url,
                       width, height, duration_seconds)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (message_id) DO UPDATE SET
      mimetype = excluded.mimetype, file_length = excluded.file_length, file_sha256 = excluded.file_sha256,
      file_enc_sha256 = excluded.file_enc_sha256, media_key = excluded.media_key,
      direct_path = excluded.direct_path, url = excluded.url, width = excluded.width, height = excluded.height,
      duration_seconds = excluded.duration_seconds)",
                       {pg_int(message_id), pg_optional(media.mimetype), pg_optional(media.file_length),
                        bytes_or_null(media.file_sha256), bytes_or_null(media.file_enc_sha256),
                        bytes_or_null(media.media_key), pg_optional(media.direct_path), pg_optional(media.url),
                        pg_optional(media.width), pg_optional(media.height), pg_optional(media.duration_seconds)}));
  return {};
}

Result<bool> PgMessageRepository::apply_to_target(const NewMessage& m, std::int64_t chat_id,
                                                  std::int64_t message_id) {
  const TargetRef& t = *m.target;
  std::vector<PgParam> params{pg_int(m.account_id), pg_int(chat_id), pg_text(t.wa_id), pg_bool(t.from_me),
                              pg_optional(t.sender_jid)};
  if (m.kind == "revoke") {
    // Deleted for everyone: marked, and what we had is kept.
    params.push_back(time_param(m.sent_at));
    auto r = WACRM_TRY(conn_.exec(
        fmt::format("UPDATE messages SET deleted_at = coalesce(deleted_at, crm_from_epoch_us($6)) WHERE {} "
                    "RETURNING id",
                    target_rows()),
        params));
    return r.rows() > 0;
  }
  if (m.kind != "edit" || !m.edited_body) return false;
  // The text before this edit goes to message_edits with the edit's own
  // protobuf; an edit older than one already applied changes nothing.
  params.push_back(time_param(m.edited_at.value_or(m.sent_at)));
  params.push_back(m.raw ? pg_bytes(*m.raw) : PgParam(PgNull{}));
  params.push_back(pg_text(*m.edited_body));
  auto r = WACRM_TRY(conn_.exec(fmt::format(R"(
    WITH target AS (
      SELECT id, body FROM messages
      WHERE {} AND kind <> 'placeholder' AND (edited_at IS NULL OR edited_at <= crm_from_epoch_us($6))
      FOR UPDATE),
    history AS (
      INSERT INTO message_edits (message_id, edited_at, previous_body, raw)
      SELECT id, crm_from_epoch_us($6), body, $7 FROM target RETURNING message_id)
    UPDATE messages m SET body = $8, edited_at = crm_from_epoch_us($6)
    FROM target WHERE m.id = target.id RETURNING m.id)",
                                            target_rows()),
                                params));
  return r.rows() > 0;
}

Status PgMessageRepository::apply_early_arrivals(const NewMessage& m, std::int64_t chat_id,
                                                 std::int64_t message_id) {
  // Edits by the author (in order, each leaving the text it replaced in
  // message_edits) and any revoke, all stored before their target was.
  WACRM_TRY(conn_.exec(R"(
    WITH edits AS (
      SELECT e.id, e.sent_at, e.body, e.raw, row_number() OVER w AS n, lag(e.body) OVER w AS previous
      FROM messages e
      WHERE e.account_id = $1 AND e.chat_id = $2 AND e.kind = 'edit' AND e.target_wa_id = $3
        AND e.from_me = $4 AND e.sender_jid = $5
      WINDOW w AS (ORDER BY e.sent_at, e.id)),
    target AS (SELECT body FROM messages WHERE id = $6),
    history AS (
      INSERT INTO message_edits (message_id, edited_at, previous_body, raw)
      SELECT $6, e.sent_at, CASE WHEN e.n = 1 THEN (SELECT body FROM target) ELSE e.previous END, e.raw
      FROM edits e RETURNING 1),
    last_edit AS (SELECT body, sent_at FROM edits ORDER BY n DESC LIMIT 1),
    revoked AS (
      SELECT min(r.sent_at) AS at FROM messages r
      WHERE r.account_id = $1 AND r.chat_id = $2 AND r.kind = 'revoke' AND r.target_wa_id = $3)
    UPDATE messages m SET
      body = CASE WHEN EXISTS (SELECT 1 FROM last_edit) THEN (SELECT body FROM last_edit) ELSE m.body END,
      edited_at = coalesce((SELECT sent_at FROM last_edit), m.edited_at),
      deleted_at = coalesce(m.deleted_at, (SELECT at FROM revoked))
    WHERE m.id = $6 AND (EXISTS (SELECT 1 FROM last_edit) OR (SELECT at FROM revoked) IS NOT NULL))",
                       {pg_int(m.account_id), pg_int(chat_id), pg_text(m.wa_id), pg_bool(m.from_me),
                        pg_text(m.sender_jid), pg_int(message_id)}));
  return {};
}

Result<int> PgMessageRepository::update_status(std::int64_t account_id, std::string_view chat_jid,
                                               const std::vector<std::string>& given_ids, MessageStatus status) {
  std::vector<std::string> wa_ids;
  for (const auto& id : given_ids) wa_ids.push_back(storable_text(id));
  // Receipts only move a status forward (a late "delivered" after "read"
  // changes nothing); 'failed' ranks lowest.
  auto r = WACRM_TRY(conn_.exec(
      fmt::format(R"(
    UPDATE messages m SET status = $4
    FROM chats c
    WHERE c.id = m.chat_id AND c.account_id = $1 AND c.jid = ANY({}) AND m.wa_id = ANY($3::text[]) AND m.from_me
      AND coalesce(array_position(ARRAY['sent', 'server_ack', 'delivered', 'read', 'played'], m.status), 0)
          < array_position(ARRAY['sent', 'server_ack', 'delivered', 'read', 'played'], $4::text))",
                  message_sql::jid_forms(1, 2)),
      {pg_int(account_id), pg_text(storable_text(chat_jid)), crm_sql::texts_param(wa_ids),
       pg_text(message_status_name(status))}));
  return static_cast<int>(r.affected());
}

}  // namespace wacrm::store
