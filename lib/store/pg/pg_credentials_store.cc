#include "store/pg/pg_credentials_store.h"

#include <string>

namespace wacrm::store {

namespace {

// device_credentials columns in the order load() reads them.
constexpr std::string_view kSelect =
    "SELECT dc.noise_private, dc.noise_public, dc.identity_private, dc.identity_public, dc.registration_id, "
    "dc.signed_prekey_id, dc.signed_prekey_private, dc.signed_prekey_public, dc.signed_prekey_signature, "
    "dc.adv_secret, dc.adv_signed_identity, dc.platform, dc.business_name, dc.next_prekey_id, "
    "dc.server_has_prekeys, a.jid, a.lid "
    "FROM device_credentials dc JOIN accounts a ON a.id = dc.account_id WHERE dc.account_id = $1";

}  // namespace

Status PgCredentialsStore::expect_rows(std::string_view sql, const std::vector<PgParam>& params,
                                       std::string_view what) {
  PgResult r = WACRM_TRY(conn_.exec(sql, params));
  if (r.affected() == 0)
    return make_error(Errc::not_found, std::string(what) + ": account " + std::to_string(account_id_) +
                                           " has no linked device");
  return {};
}

Result<std::optional<DeviceCredentials>> PgCredentialsStore::load() {
  PgResult r = WACRM_TRY(conn_.exec(kSelect, {pg_int(account_id_)}));
  if (r.rows() == 0) return std::optional<DeviceCredentials>();
  DeviceCredentials c;
  c.noise_private = r.bytes(0, 0);
  c.noise_public = r.bytes(0, 1);
  c.identity.identity_private = r.bytes(0, 2);
  c.identity.identity_public = r.bytes(0, 3);
  c.identity.registration_id = static_cast<std::uint32_t>(r.int64(0, 4));
  c.identity.signed_pre_key_id = static_cast<std::uint32_t>(r.int64(0, 5));
  c.identity.signed_pre_key_private = r.bytes(0, 6);
  c.identity.signed_pre_key_public = r.bytes(0, 7);
  c.identity.signed_pre_key_signature = r.bytes(0, 8);
  c.adv_secret = r.bytes(0, 9);
  // A row without the ADV identity would be a half-written pairing; save_linked
  // never writes one, so every row here is a linked device.
  if (!r.is_null(0, 10) && !r.is_null(0, 15)) {
    LinkedDevice linked;
    linked.adv_signed_identity = r.bytes(0, 10);
    linked.platform = std::string(r.text(0, 11));
    linked.business_name = std::string(r.text(0, 12));
    linked.jid = std::string(r.text(0, 15));
    linked.lid = std::string(r.text(0, 16));
    c.linked = std::move(linked);
  }
  c.next_pre_key_id = static_cast<std::uint32_t>(r.int64(0, 13));
  c.server_has_pre_keys = r.boolean(0, 14);
  return std::optional<DeviceCredentials>(std::move(c));
}

Status PgCredentialsStore::save_linked(const DeviceCredentials& c) {
  if (!c.linked) return make_error(Errc::invalid_argument, "credentials without a pairing result cannot be saved");
  const LinkedDevice& linked = *c.linked;
  // The account row is updated first and the credentials inserted from it, so
  // a vanished account inserts nothing (rather than failing a foreign key).
  PgResult r = WACRM_TRY(conn_.exec(
      "WITH account AS ("
      "  UPDATE accounts SET jid = $2, lid = NULLIF($3, ''), link_state = 'linked', linked_at = now(), "
      "         logged_out_at = NULL, logged_out_reason = NULL "
      "  WHERE id = $1 RETURNING id) "
      "INSERT INTO device_credentials (account_id, noise_private, noise_public, identity_private, identity_public, "
      "  registration_id, signed_prekey_id, signed_prekey_private, signed_prekey_public, signed_prekey_signature, "
      "  adv_secret, adv_signed_identity, platform, business_name, next_prekey_id, server_has_prekeys) "
      "SELECT id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULLIF($15, ''), NULLIF($16, ''), $17, $18 "
      "FROM account "
      "ON CONFLICT (account_id) DO UPDATE SET noise_private = EXCLUDED.noise_private, "
      "  noise_public = EXCLUDED.noise_public, identity_private = EXCLUDED.identity_private, "
      "  identity_public = EXCLUDED.identity_public, registration_id = EXCLUDED.registration_id, "
      "  signed_prekey_id = EXCLUDED.signed_prekey_id, signed_prekey_private = EXCLUDED.signed_prekey_private, "
      "  signed_prekey_public = EXCLUDED.signed_prekey_public, "
      "  signed_prekey_signature = EXCLUDED.signed_prekey_signature, adv_secret = EXCLUDED.adv_secret, "
      "  adv_signed_identity = EXCLUDED.adv_signed_identity, platform = EXCLUDED.platform, "
      "  business_name = EXCLUDED.business_name, next_prekey_id = EXCLUDED.next_prekey_id, "
      "  server_has_prekeys = EXCLUDED.server_has_prekeys, updated_at = now()",
      {pg_int(account_id_), pg_text(linked.jid), pg_text(linked.lid), pg_bytes(c.noise_private),
       pg_bytes(c.noise_public), pg_bytes(c.identity.identity_private), pg_bytes(c.identity.identity_public),
       pg_int(c.identity.registration_id), pg_int(c.identity.signed_pre_key_id),
       pg_bytes(c.identity.signed_pre_key_private), pg_bytes(c.identity.signed_pre_key_public),
       pg_bytes(c.identity.signed_pre_key_signature), pg_bytes(c.adv_secret), pg_bytes(linked.adv_signed_identity),
       pg_text(linked.platform), pg_text(linked.business_name), pg_int(c.next_pre_key_id),
       pg_bool(c.server_has_pre_keys)}));
  if (r.affected() == 0)
    return make_error(Errc::not_found, "account " + std::to_string(account_id_) + " no longer exists");
  return {};
}

Status PgCredentialsStore::update_lid(std::string_view lid) {
  return expect_rows("UPDATE accounts SET lid = NULLIF($2, '') WHERE id = $1 "
                     "AND EXISTS (SELECT 1 FROM device_credentials WHERE account_id = $1)",
                     {pg_int(account_id_), pg_text(lid)}, "update the LID");
}

Status PgCredentialsStore::set_next_pre_key_id(std::uint32_t next_id) {
  return expect_rows("UPDATE device_credentials SET next_prekey_id = $2, updated_at = now() WHERE account_id = $1",
                     {pg_int(account_id_), pg_int(next_id)}, "record the next pre-key id");
}

Status PgCredentialsStore::set_server_has_pre_keys(bool value) {
  return expect_rows(
      "UPDATE device_credentials SET server_has_prekeys = $2, updated_at = now() WHERE account_id = $1",
      {pg_int(account_id_), pg_bool(value)}, "record the pre-key upload");
}

Status PgCredentialsStore::wipe(std::string_view reason) {
  // One statement: the keys, every Signal table and the account's state change together.
  PgResult r = WACRM_TRY(conn_.exec(
      "WITH credentials AS (DELETE FROM device_credentials WHERE account_id = $1), "
      "  sessions AS (DELETE FROM signal_sessions WHERE account_id = $1), "
      "  prekeys AS (DELETE FROM signal_prekeys WHERE account_id = $1), "
      "  signed_prekeys AS (DELETE FROM signal_signed_prekeys WHERE account_id = $1), "
      "  identities AS (DELETE FROM signal_identities WHERE account_id = $1), "
      "  sender_keys AS (DELETE FROM signal_sender_keys WHERE account_id = $1) "
      "UPDATE accounts SET link_state = 'logged_out', logged_out_at = now(), logged_out_reason = $2 "
      "WHERE id = $1",
      {pg_int(account_id_), pg_text(reason)}));
  if (r.affected() == 0)
    return make_error(Errc::not_found, "account " + std::to_string(account_id_) + " no longer exists");
  return {};
}

}  // namespace wacrm::store
