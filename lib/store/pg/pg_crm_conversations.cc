#include "store/pg/pg_crm_conversations.h"

#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"

namespace wacrm::store::crm_sql {

std::string conversation_ctes() {
  // The latest message per chat is one backward step on the partial index
  // messages_chat_counted; the DISTINCT ON then picks per conversation.
  return fmt::format(R"(
    WITH conv_chats AS (
      SELECT o.chat_id, o.jid, o.is_group, o.pending_dismissed_at, o.pending_notified_at,
             coalesce(o.person_id, -o.chat_id) AS conv
      FROM crm_chat_owners o
      WHERE o.account_id = $1 AND ($2 OR NOT o.is_group)
    ),
    chat_latest AS (
      SELECT cc.conv, cc.chat_id, l.id, l.sent_at, l.from_me
      FROM conv_chats cc
      CROSS JOIN LATERAL (
        SELECT m.id, m.sent_at, m.from_me FROM messages m
        WHERE m.chat_id = cc.chat_id AND {counted}
        ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) l
    ),
    conv_latest AS (
      SELECT DISTINCT ON (conv) * FROM chat_latest ORDER BY conv, sent_at DESC, id DESC
    ))", fmt::arg("counted", kCounted));
}

std::string pending_ctes() {
  return conversation_ctes() + fmt::format(R"(,
    waiting AS (
      SELECT cl.conv, cl.chat_id, cl.id AS last_id, cl.sent_at AS last_at,
             (SELECT max(x.pending_dismissed_at) FROM conv_chats x WHERE x.conv = cl.conv) AS dismissed_at,
             (SELECT max(x.pending_notified_at) FROM conv_chats x WHERE x.conv = cl.conv) AS notified_at,
             mine.sent_at AS my_at, mine.id AS my_id
      FROM conv_latest cl
      LEFT JOIN LATERAL (
        SELECT lm.sent_at, lm.id FROM conv_chats x
        CROSS JOIN LATERAL (
          SELECT m.sent_at, m.id FROM messages m
          WHERE m.chat_id = x.chat_id AND m.from_me AND {counted}
          ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) lm
        WHERE x.conv = cl.conv
        ORDER BY lm.sent_at DESC, lm.id DESC LIMIT 1) mine ON true
      WHERE NOT cl.from_me
    ),
    pending_rows AS (
      SELECT w.conv, w.chat_id, w.last_id, f.since, f.unanswered, w.notified_at
      FROM waiting w
      CROSS JOIN LATERAL (
        SELECT min(m.sent_at) AS since, count(*) AS unanswered
        FROM conv_chats x JOIN messages m ON m.chat_id = x.chat_id
        WHERE x.conv = w.conv AND NOT m.from_me AND {counted}
          AND (w.my_at IS NULL OR (m.sent_at, m.id) > (w.my_at, w.my_id))) f
      WHERE w.dismissed_at IS NULL OR w.last_at > w.dismissed_at
    ))", fmt::arg("counted", kCounted));
}

std::string conversation_person_columns() {
  return "coalesce(p.id, 0), coalesce(p.name, nullif(ch.subject, ''), split_part(ch.jid, '@', 1)), "
         "coalesce(p.jid, ch.jid), p.phone, coalesce(p.is_group, ch.is_group)";
}

}  // namespace wacrm::store::crm_sql
