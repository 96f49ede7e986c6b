// PgMessageRepository: contacts, chats and LID/phone pairs as stanzas reveal
// them (the contact and chat rows of a stored message are upserted by
// wacrm_store_message, migrations/004; here is what keys them). One person is one contacts row (jid = phone JID, lid = LID) whenever
// the pair is known before both forms had rows; otherwise the LID's row is
// merged into the phone's (contacts.merged_into, the CRM's reversible merge:
// one level deep, whatever was merged into the folded row moves along).
#include <fmt/format.h>

#include <vector>

#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_message_repository.h"
#include "store/pg/pg_message_sql.h"

namespace wacrm::store {

namespace {

using message_sql::phone_of;

PgParam text_or_null(std::string_view s) { return s.empty() ? PgParam(PgNull{}) : pg_text(s); }

struct ContactRow {
  std::int64_t id = 0;
  std::string jid;
  std::optional<std::string> lid;
  std::optional<std::int64_t> merged_into;
  bool is_group = false;

  std::int64_t root() const { return merged_into.value_or(id); }
};

}  // namespace

Result<std::optional<std::string>> PgMessageRepository::pn_for_lid(std::int64_t account_id, std::string_view lid) {
  auto r = WACRM_TRY(conn_.exec("SELECT pn FROM lid_mappings WHERE account_id = $1 AND lid = $2",
                                {pg_int(account_id), pg_text(lid)}));
  if (r.rows() == 0) return std::nullopt;
  return std::string(r.text(0, 0));
}

Status PgMessageRepository::record_lid_mapping(std::int64_t account_id, std::string_view lid, std::string_view pn) {
  WACRM_TRY(conn_.exec(R"(
    INSERT INTO lid_mappings (account_id, lid, pn) VALUES ($1, $2, $3)
    ON CONFLICT (account_id, lid) DO UPDATE SET pn = excluded.pn, updated_at = now()
    WHERE lid_mappings.pn <> excluded.pn)",
                       {pg_int(account_id), pg_text(lid), pg_text(pn)}));

  // Every row that names this person by either form.
  auto r = WACRM_TRY(conn_.exec(R"(
    SELECT id, jid, lid, merged_into, is_group FROM contacts
    WHERE account_id = $1 AND (jid = $2 OR jid = $3 OR lid = $3) ORDER BY id FOR UPDATE)",
                                {pg_int(account_id), pg_text(pn), pg_text(lid)}));
  std::optional<ContactRow> phone_row;
  std::vector<ContactRow> lid_rows;
  for (int i = 0; i < r.rows(); ++i) {
    ContactRow row{r.int64(i, 0), std::string(r.text(i, 1)), r.optional_text(i, 2),
                   r.is_null(i, 3) ? std::nullopt : std::optional<std::int64_t>(r.int64(i, 3)), r.boolean(i, 4)};
    if (row.is_group) continue;  // a group JID never pairs with a LID
    if (row.jid == pn) phone_row = std::move(row);
    else lid_rows.push_back(std::move(row));
  }

  const PgParam account = pg_int(account_id);
  if (!phone_row && lid_rows.empty()) {
    WACRM_TRY(conn_.exec("INSERT INTO contacts (account_id, jid, lid, phone) VALUES ($1, $2, $3, $4)",
                         {account, pg_text(pn), pg_text(lid), text_or_null(phone_of(pn))}));
    return {};
  }
  // Without a phone row, the LID's row becomes the person's row under the phone JID.
  const bool rename = !phone_row;
  if (rename) {
    phone_row = lid_rows.front();
    lid_rows.erase(lid_rows.begin());
  }
  // The LID moves to the person's row (the unique index allows one holder).
  for (const auto& row : lid_rows)
    if (row.lid == lid)
      WACRM_TRY(conn_.exec("UPDATE contacts SET lid = NULL, updated_at = now() WHERE id = $1", {pg_int(row.id)}));
  if (rename)
    WACRM_TRY(conn_.exec(
        "UPDATE contacts SET jid = $2, lid = $3, phone = coalesce(phone, $4), updated_at = now() WHERE id = $1",
        {pg_int(phone_row->id), pg_text(pn), pg_text(lid), text_or_null(phone_of(pn))}));
  else if (phone_row->lid != lid)
    WACRM_TRY(conn_.exec("UPDATE contacts SET lid = $2, updated_at = now() WHERE id = $1",
                         {pg_int(phone_row->id), pg_text(lid)}));

  // Fold each other row's merge group into the phone row's.
  const std::int64_t keep = phone_row->root();
  for (const auto& row : lid_rows) {
    const std::int64_t fold = row.root();
    if (fold == keep) continue;
    WACRM_TRY(conn_.exec(
        "UPDATE contacts SET merged_into = $2, updated_at = now() WHERE account_id = $1 AND merged_into = $3",
        {account, pg_int(keep), pg_int(fold)}));
    WACRM_TRY(conn_.exec("UPDATE contacts SET merged_into = $2, updated_at = now() WHERE account_id = $1 AND id = $3",
                         {account, pg_int(keep), pg_int(fold)}));
  }
  return {};
}

Result<PgMessageRepository::ContactKey> PgMessageRepository::contact_key(std::int64_t account_id,
                                                                        const PersonSighting& person,
                                                                        bool record_pair) {
  auto [pn, lid] = forms_of(person);
  if (pn && lid && record_pair) WACRM_TRY(record_lid_mapping(account_id, *lid, *pn));
  return ContactKey{pn ? *pn : *lid, lid, pn ? phone_of(*pn) : ""};
}

Result<std::vector<LidPair>> PgMessageRepository::settled_pairs(std::int64_t account_id,
                                                                std::span<const LidPair> pairs) {
  std::vector<LidPair> settled;
  if (pairs.empty()) return settled;
  std::vector<std::string> lids, pns;
  for (const auto& [lid, pn] : pairs) {
    lids.push_back(lid);
    pns.push_back(pn);
  }
  // record_lid_mapping() changes nothing when: the pair is in lid_mappings,
  // the phone row holds the LID, and every row named by the LID is already
  // in the phone row's merge group.
  auto r = WACRM_TRY(conn_.exec(R"(
    SELECT DISTINCT p.lid, p.pn FROM unnest($2::text[], $3::text[]) AS p(lid, pn)
    WHERE EXISTS (SELECT 1 FROM lid_mappings l WHERE l.account_id = $1 AND l.lid = p.lid AND l.pn = p.pn)
      AND EXISTS (SELECT 1 FROM contacts ph WHERE ph.account_id = $1 AND ph.jid = p.pn AND ph.lid = p.lid
                  AND NOT ph.is_group)
      AND NOT EXISTS (
        SELECT 1 FROM contacts o JOIN contacts ph ON ph.account_id = $1 AND ph.jid = p.pn
        WHERE o.account_id = $1 AND o.jid = p.lid AND NOT o.is_group
          AND coalesce(o.merged_into, o.id) <> coalesce(ph.merged_into, ph.id)))",
                                {pg_int(account_id), crm_sql::texts_param(lids), crm_sql::texts_param(pns)}));
  for (int row = 0; row < r.rows(); ++row) settled.emplace_back(std::string(r.text(row, 0)), std::string(r.text(row, 1)));
  return settled;
}

Status PgMessageRepository::set_group_subject(std::int64_t account_id, std::string_view group_jid,
                                              std::string_view subject) {
  WACRM_TRY(conn_.exec(R"(
    INSERT INTO chats (account_id, jid, is_group, subject) VALUES ($1, $2, true, $3)
    ON CONFLICT (account_id, jid) DO UPDATE SET subject = excluded.subject)",
                       {pg_int(account_id), pg_text(storable_text(group_jid)), pg_text(storable_text(subject))}));
  return {};
}

}  // namespace wacrm::store
