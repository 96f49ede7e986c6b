// PgCrmStore: full-text search over bodies, captions and file names.
//
// Ranking: score = relevance * (0.6 + 0.4 * recency), where relevance is
// ts_rank_cd normalized to [0, 1) (option 32) and recency = 1 / (1 + age in
// days / 90). A match from today keeps its full relevance, one from a year
// ago about 70 % of it: recent messages win between equally good matches,
// a clearly better old match still beats a weak new one.
//
// Snippets come from ts_headline (up to 30 words around the best match),
// computed for the returned page only: it re-parses the text, the expensive
// part of a search.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// Params: $1 account, $2 query text, $3 person, $4 chat, $5 from, $6 to,
// $7 from_me, $8 now, $9 limit, $10 offset.
const std::string& search_sql() {
  static const std::string sql = fmt::format(R"(
    WITH q AS (SELECT websearch_to_tsquery('wacrm_search', $2) AS q),
    hits AS (
      SELECT m.id,
             ts_rank_cd(m.search, q.q, 32)
               * (0.6 + 0.4 / (1 + greatest(extract(epoch FROM crm_from_epoch_us($8) - m.sent_at), 0) / 7776000.0))
               AS score
      FROM messages m, q
      WHERE m.account_id = $1 AND m.search @@ q.q AND {acting}
        AND ($3::bigint IS NULL
             OR m.chat_id IN (SELECT chat_id FROM crm_chat_owners WHERE account_id = $1 AND person_id = $3)
             OR m.sender_contact_id IN (SELECT id FROM contacts WHERE account_id = $1 AND (id = $3 OR merged_into = $3)))
        AND ($4::bigint[] IS NULL OR m.chat_id = ANY($4::bigint[]))
        AND ($5::bigint IS NULL OR m.sent_at >= crm_from_epoch_us($5))
        AND ($6::bigint IS NULL OR m.sent_at < crm_from_epoch_us($6))
        AND ($7::boolean IS NULL OR m.from_me = $7)
      ORDER BY score DESC, m.sent_at DESC, m.id DESC
      LIMIT $9 OFFSET $10
    )
    SELECT m.id, o.jid,
           coalesce(p.name, nullif(o.subject, ''), split_part(o.jid, '@', 1)),
           CASE WHEN m.from_me THEN 'Me'
                ELSE coalesce(sp.name, nullif(m.push_name, ''), CASE WHEN NOT o.is_group THEN p.name END,
                              split_part(m.sender_jid, '@', 1)) END,
           m.from_me, crm_epoch_us(m.sent_at), m.kind,
           ts_headline('wacrm_search',
                       translate(concat_ws(' ', nullif(m.body, ''), m.file_name), E'\x02\x03', ''), q.q,
                       E'StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12'),
           h.score::float8
    FROM hits h
    CROSS JOIN q
    JOIN messages m ON m.id = h.id
    JOIN crm_chat_owners o ON o.chat_id = m.chat_id
    LEFT JOIN crm_people p ON p.id = o.person_id
    LEFT JOIN contacts sc ON sc.id = m.sender_contact_id
    LEFT JOIN crm_people sp ON sp.id = coalesce(sc.merged_into, sc.id)
    ORDER BY h.score DESC, m.sent_at DESC, m.id DESC)",
      fmt::arg("acting", crm_sql::kNotActingOnOthers));
  return sql;
}

PgParam optional_time(const std::optional<TimePoint>& t) {
  return t ? crm_sql::time_param(*t) : PgParam(PgNull{});
}

}  // namespace

Result<std::vector<SearchHit>> PgCrmStore::search(const SearchQuery& query) {
  auto r = WACRM_TRY(conn_.exec(
      search_sql(), {pg_int(query.account_id), pg_text(query.text), pg_optional(query.person_id),
                     query.chat_ids.empty() ? PgParam(PgNull{}) : crm_sql::ids_param(query.chat_ids), optional_time(query.from), optional_time(query.to),
                     query.from_me ? pg_bool(*query.from_me) : PgParam(PgNull{}), crm_sql::time_param(query.now),
                     pg_int(query.limit), pg_int(query.offset)}));
  std::vector<SearchHit> out;
  for (int i = 0; i < r.rows(); ++i) {
    SearchHit hit;
    hit.message_id = r.int64(i, 0);
    hit.chat_jid = r.text(i, 1);
    hit.chat_name = r.text(i, 2);
    hit.sender = r.text(i, 3);
    hit.from_me = r.boolean(i, 4);
    hit.sent_at = crm_sql::time_at(r, i, 5);
    hit.kind = r.text(i, 6);
    hit.snippet = r.text(i, 7);
    hit.score = crm_sql::float_at(r, i, 8);
    out.push_back(std::move(hit));
  }
  return out;
}

}  // namespace wacrm::store
