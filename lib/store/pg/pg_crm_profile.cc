// PgCrmStore: a person's profile, notes, tags and settings. Notes and tags
// are read across every contacts row of the person; new ones go on the root.
#include <fmt/format.h>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::store {

namespace {

// The contacts rows of person $2 in account $1.
constexpr std::string_view kPersonRows =
    "SELECT id FROM contacts WHERE account_id = $1 AND (id = $2 OR merged_into = $2)";

CrmNote note_at(const PgResult& r, int row) {
  return CrmNote{r.int64(row, 0), r.int64(row, 1), std::string(r.text(row, 2)), crm_sql::time_at(r, row, 3)};
}

Error no_person(std::int64_t person_id) {
  return Error{Errc::not_found, fmt::format("no contact with id {}", person_id)};
}

}  // namespace

Result<ContactProfile> PgCrmStore::profile(std::int64_t account_id, std::int64_t person_id) {
  ContactProfile out;
  out.person = WACRM_TRY(person(account_id, person_id));
  std::vector<PgParam> params{pg_int(account_id), pg_int(person_id)};

  auto rows = WACRM_TRY(conn_.exec(R"(
    SELECT id, jid, lid, phone, full_name, push_name, business_name, merged_into IS NULL,
           cadence_days, attention_excluded
    FROM contacts WHERE account_id = $1 AND (id = $2 OR merged_into = $2)
    ORDER BY merged_into NULLS FIRST, id)", params));
  for (int i = 0; i < rows.rows(); ++i) {
    out.rows.push_back({rows.int64(i, 0), std::string(rows.text(i, 1)), rows.optional_text(i, 2),
                        rows.optional_text(i, 3), rows.optional_text(i, 4), rows.optional_text(i, 5),
                        rows.optional_text(i, 6), rows.boolean(i, 7)});
    if (rows.boolean(i, 7)) {
      if (!rows.is_null(i, 8)) out.cadence_days = static_cast<int>(rows.int64(i, 8));
      out.attention_excluded = rows.boolean(i, 9);
    }
  }
  auto tags = WACRM_TRY(conn_.exec(
      fmt::format("SELECT DISTINCT tag FROM contact_tags WHERE contact_id IN ({}) ORDER BY tag", kPersonRows),
      params));
  for (int i = 0; i < tags.rows(); ++i) out.tags.emplace_back(tags.text(i, 0));
  out.notes = WACRM_TRY(notes(account_id, person_id));
  return out;
}

Result<std::vector<CrmNote>> PgCrmStore::notes(std::int64_t account_id, std::int64_t person_id) {
  static const std::string sql = fmt::format(R"(
    SELECT id, contact_id, body, crm_epoch_us(created_at) FROM contact_notes
    WHERE contact_id IN ({}) ORDER BY created_at, id)", kPersonRows);
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_int(person_id)}));
  std::vector<CrmNote> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(note_at(r, i));
  return out;
}

Result<CrmNote> PgCrmStore::add_note(std::int64_t account_id, std::int64_t person_id, std::string_view body) {
  auto r = WACRM_TRY(conn_.exec(R"(
    INSERT INTO contact_notes (contact_id, body)
    SELECT id, $3 FROM contacts WHERE account_id = $1 AND id = $2
    RETURNING id, contact_id, body, crm_epoch_us(created_at))",
                                {pg_int(account_id), pg_int(person_id), pg_text(body)}));
  if (r.rows() == 0) return std::unexpected(no_person(person_id));
  return note_at(r, 0);
}

Status PgCrmStore::add_tags(std::int64_t account_id, std::int64_t person_id, std::span<const std::string> tags) {
  auto r = WACRM_TRY(conn_.exec(R"(
    WITH person AS (SELECT id FROM contacts WHERE account_id = $1 AND id = $2),
    added AS (
      INSERT INTO contact_tags (contact_id, tag) SELECT p.id, t.tag FROM person p, unnest($3::text[]) t(tag)
      ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*) FROM person)",
                                {pg_int(account_id), pg_int(person_id), crm_sql::texts_param(tags)}));
  if (r.int64(0, 0) == 0) return std::unexpected(no_person(person_id));
  return {};
}

Result<std::vector<std::string>> PgCrmStore::remove_tags(std::int64_t account_id, std::int64_t person_id,
                                                         std::span<const std::string> tags) {
  // One statement over every row of the person: all or nothing.
  static const std::string sql = fmt::format(R"(
    WITH removed AS (
      DELETE FROM contact_tags WHERE tag = ANY($3::text[]) AND contact_id IN ({}) RETURNING tag)
    SELECT DISTINCT tag FROM removed ORDER BY tag)", kPersonRows);
  auto r = WACRM_TRY(conn_.exec(sql, {pg_int(account_id), pg_int(person_id), crm_sql::texts_param(tags)}));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0));
  return out;
}

Status PgCrmStore::update_settings(std::int64_t account_id, std::int64_t person_id,
                                   const ContactSettings& settings) {
  PgParam cadence = PgNull{};
  if (settings.cadence_days && *settings.cadence_days) cadence = pg_int(**settings.cadence_days);
  auto r = WACRM_TRY(conn_.exec(R"(
    UPDATE contacts SET
      cadence_days = CASE WHEN $3 THEN $4::integer ELSE cadence_days END,
      attention_excluded = coalesce($5::boolean, attention_excluded),
      updated_at = now()
    WHERE account_id = $1 AND id = $2)",
                                {pg_int(account_id), pg_int(person_id), pg_bool(settings.cadence_days.has_value()),
                                 cadence, pg_optional(settings.attention_excluded)}));
  if (r.affected() == 0) return std::unexpected(no_person(person_id));
  return {};
}

}  // namespace wacrm::store
