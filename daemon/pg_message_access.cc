#include "pg_message_access.h"

#include "signal/keys.h"

namespace wacrm::daemon {

Status PgMessageStores::atomically(const std::function<Status()>& body) {
  auto tx = WACRM_TRY(store::PgTransaction::begin(conn_));
  WACRM_TRY(body());  // returning early rolls back (PgTransaction's destructor)
  return tx.commit();
}

Result<Bytes> PgMessageStores::device_identity() {
  auto credentials = WACRM_TRY(credentials_.load());
  if (!credentials || !credentials->linked) return make_error(Errc::not_found, "the account has no linked device");
  return credentials->linked->adv_signed_identity;
}

Result<std::uint32_t> PgMessageStores::allocate_pre_key_id() {
  auto credentials = WACRM_TRY(credentials_.load());
  if (!credentials) return make_error(Errc::not_found, "the account has no device credentials");
  const std::uint32_t id = credentials->next_pre_key_id == 0 ? 1 : credentials->next_pre_key_id;
  // Ids are 24-bit and wrap to 1, as the pre-key upkeep allocates them.
  WACRM_TRY(credentials_.set_next_pre_key_id(id % signal::kMaxPreKeyId + 1));
  return id;
}

bool PgMessageStoreAccess::submit(std::int64_t account_id, std::function<void(wa::MessageStores&)> job) {
  return pool_.submit([account_id, job = std::move(job)](store::PgConnection& conn) {
    PgMessageStores stores(conn, account_id);
    job(stores);
  });
}

}  // namespace wacrm::daemon
