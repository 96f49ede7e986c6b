// PgCrmStore: finding people by address or name, and listing them.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

using crm_sql::person_at;
using crm_sql::person_columns;

Result<std::vector<CrmPerson>> PgCrmStore::find_people_by_address(std::int64_t account_id,
                                                                  std::string_view address) {
  static const std::string sql = fmt::format(R"(
    SELECT DISTINCT {}
    FROM contacts c
    JOIN crm_people p ON p.id = coalesce(c.merged_into, c.id)
    WHERE c.account_id = $1
      AND (c.jid = $2 OR c.lid = $2 OR c.phone = $2 OR c.jid = $2 || '@s.whatsapp.net')
    ORDER BY p.id)", person_columns("p"));
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_text(address)}));
  std::vector<CrmPerson> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(person_at(r, i, 0));
  return out;
}

Result<std::vector<PersonMatch>> PgCrmStore::find_people_by_name(std::int64_t account_id, std::string_view name,
                                                                int limit) {
  // Every name a person goes by, folded; then per person the best kind of
  // match. Only the best kind present is returned: all exact matches, else
  // all partial ones, else the `limit` most similar.
  static const std::string sql = fmt::format(R"(
    WITH q AS (SELECT lower(unaccent($2)) AS q),
    names AS (
      SELECT coalesce(c.merged_into, c.id) AS person_id, n.name
      FROM contacts c
      CROSS JOIN LATERAL (VALUES (c.full_name), (c.first_name), (c.push_name), (c.business_name)) n(name)
      WHERE c.account_id = $1 AND n.name <> ''
      UNION ALL
      SELECT o.person_id, o.subject FROM crm_chat_owners o
      WHERE o.account_id = $1 AND o.is_group AND o.subject <> '' AND o.person_id IS NOT NULL
    ),
    scored AS (
      SELECT n.person_id,
             bool_or(f.name = q.q) AS exact,
             bool_or(strpos(f.name, q.q) > 0) AS partial,
             max(greatest(similarity(f.name, q.q), word_similarity(q.q, f.name))) AS sim
      FROM names n CROSS JOIN q CROSS JOIN LATERAL (SELECT lower(unaccent(n.name)) AS name) f
      GROUP BY n.person_id
    ),
    ranked AS (
      SELECT s.*, CASE WHEN s.exact THEN 0 WHEN s.partial THEN 1 ELSE 2 END AS kind
      FROM scored s WHERE s.exact OR s.partial OR s.sim >= 0.3
    )
    SELECT {}, r.kind
    FROM ranked r JOIN crm_people p ON p.id = r.person_id
    WHERE r.kind = (SELECT min(kind) FROM ranked)
    ORDER BY r.sim DESC, lower(p.name), p.id
    LIMIT CASE WHEN (SELECT min(kind) FROM ranked) = 2 THEN $3::bigint END)", person_columns("p"));
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_text(name), pg_int(limit)}));
  std::vector<PersonMatch> out;
  for (int i = 0; i < r.rows(); ++i) {
    auto kind = r.int64(i, 5);
    out.push_back({person_at(r, i, 0), kind == 0 ? NameMatch::exact : kind == 1 ? NameMatch::partial
                                                                                : NameMatch::similar});
  }
  return out;
}

Result<CrmPerson> PgCrmStore::person(std::int64_t account_id, std::int64_t person_id) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM crm_people p WHERE p.account_id = $1 AND p.id = $2", person_columns("p"));
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_int(person_id)}));
  if (r.rows() == 0) return make_error(Errc::not_found, fmt::format("no contact with id {}", person_id));
  return person_at(r, 0, 0);
}

Result<CrmContactRow> PgCrmStore::contact_row(std::int64_t account_id, std::string_view address) {
  auto r = WACRM_TRY(conn_.exec(R"(
    SELECT id, jid, lid, phone, full_name, push_name, business_name, merged_into IS NULL
    FROM contacts
    WHERE account_id = $1 AND (jid = $2 OR lid = $2 OR phone = $2 OR jid = $2 || '@s.whatsapp.net')
    ORDER BY id)", {pg_int(account_id), pg_text(address)}));
  if (r.rows() == 0) return make_error(Errc::not_found, fmt::format("no contact with address '{}'", address));
  if (r.rows() > 1)
    return make_error(Errc::invalid_argument,
                      fmt::format("address '{}' matches {} contacts; use a full JID", address, r.rows()));
  return CrmContactRow{r.int64(0, 0), std::string(r.text(0, 1)), r.optional_text(0, 2), r.optional_text(0, 3),
                       r.optional_text(0, 4), r.optional_text(0, 5), r.optional_text(0, 6), r.boolean(0, 7)};
}

Result<std::vector<ContactListItem>> PgCrmStore::list_people(const ContactListQuery& query) {
  static const std::string sql = fmt::format(R"(
    WITH people AS (
      SELECT p.* FROM crm_people p
      WHERE p.account_id = $1 AND ($3 OR NOT p.is_group)
        AND ($2::text IS NULL OR EXISTS (
              SELECT 1 FROM contact_tags t JOIN contacts c ON c.id = t.contact_id
              WHERE coalesce(c.merged_into, c.id) = p.id AND t.tag = $2))
      ORDER BY lower(p.name), p.id
      LIMIT $4
    )
    SELECT {},
      (SELECT string_agg(DISTINCT t.tag, ' ' ORDER BY t.tag) FROM contact_tags t JOIN contacts c ON c.id = t.contact_id
        WHERE coalesce(c.merged_into, c.id) = p.id),
      (SELECT crm_epoch_us(max(s.last_at)) FROM crm_chat_owners o JOIN crm_chat_state s ON s.chat_id = o.chat_id
        WHERE o.account_id = $1 AND o.person_id = p.id)
    FROM people p
    ORDER BY lower(p.name), p.id)", person_columns("p"));
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(query.account_id), pg_optional(query.tag), pg_bool(query.include_groups),
                                      query.limit > 0 ? pg_int(query.limit) : PgParam(PgNull{})}));
  std::vector<ContactListItem> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({person_at(r, i, 0), crm_sql::split_tags(r.text(i, 5)), crm_sql::optional_time_at(r, i, 6)});
  return out;
}

}  // namespace wacrm::store
