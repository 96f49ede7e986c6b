#include "store/pg/pg_crm_conversations.h"

#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"

namespace wacrm::store::crm_sql {

std::string conversation_ctes() {
  // One row per chat from crm_chat_state (kept current by triggers, see
  // migration 002), then per conversation its latest message: no message
  // is read here.
  return R"(
    WITH conv_chats AS (
      SELECT o.chat_id, o.jid, o.is_group, o.pending_dismissed_at, o.pending_notified_at,
             coalesce(o.person_id, -o.chat_id) AS conv,
             s.last_at, s.last_id, s.last_from_me, s.last_out_at, s.last_out_id
      FROM crm_chat_owners o JOIN crm_chat_state s ON s.chat_id = o.chat_id
      WHERE o.account_id = $1 AND ($2 OR NOT o.is_group) AND s.last_at IS NOT NULL
    ),
    conv_latest AS (
      SELECT DISTINCT ON (conv) conv, chat_id, last_id AS id, last_at AS sent_at, last_from_me AS from_me
      FROM conv_chats ORDER BY conv, last_at DESC, last_id DESC
    ))";
}

std::string pending_ctes() {
  // Candidates are the conversations whose latest message is theirs; only
  // for them: when they were dismissed or notified, my latest message in any
  // of their chats, and (reading messages) what waits since.
  return conversation_ctes() + fmt::format(R"(,
    candidates AS (SELECT * FROM conv_latest WHERE NOT from_me),
    conv_agg AS (
      SELECT x.conv, max(x.pending_dismissed_at) AS dismissed_at, max(x.pending_notified_at) AS notified_at,
             (array_agg(x.last_out_at ORDER BY x.last_out_at DESC NULLS LAST, x.last_out_id DESC))[1] AS my_at,
             (array_agg(x.last_out_id ORDER BY x.last_out_at DESC NULLS LAST, x.last_out_id DESC))[1] AS my_id,
             array_agg(x.chat_id) AS chat_ids
      FROM conv_chats x JOIN candidates USING (conv) GROUP BY x.conv
    ),
    waiting AS (
      SELECT cl.conv, cl.chat_id, cl.id AS last_id, cl.sent_at AS last_at, a.dismissed_at, a.notified_at,
             a.my_at, a.my_id, a.chat_ids
      FROM candidates cl JOIN conv_agg a ON a.conv = cl.conv
      WHERE a.dismissed_at IS NULL OR cl.sent_at > a.dismissed_at
    ),
    pending_rows AS (
      SELECT w.conv, w.chat_id, w.last_id, f.since, f.unanswered, w.notified_at
      FROM waiting w
      CROSS JOIN LATERAL (
        SELECT min(m.sent_at) AS since, count(*) AS unanswered
        FROM unnest(w.chat_ids) c(id) JOIN messages m ON m.chat_id = c.id
        WHERE NOT m.from_me AND {counted}
          AND m.sent_at >= coalesce(w.my_at, '-infinity')   -- an index condition
          AND (w.my_at IS NULL OR (m.sent_at, m.id) > (w.my_at, w.my_id))) f
    ))", fmt::arg("counted", kCounted));
}

std::string conversation_person_columns() {
  return "coalesce(p.id, 0), coalesce(p.name, nullif(ch.subject, ''), split_part(ch.jid, '@', 1)), "
         "coalesce(p.jid, ch.jid), p.phone, coalesce(p.is_group, ch.is_group)";
}

}  // namespace wacrm::store::crm_sql
