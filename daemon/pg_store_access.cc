#include "pg_store_access.h"

#include "store/pg/pg_credentials_store.h"
#include "store/pg/pg_signal_store.h"

namespace wacrm::daemon {
namespace {

class PgAccountStores final : public wa::AccountStores {
 public:
  PgAccountStores(store::PgConnection& conn, std::int64_t account_id)
      : conn_(conn), credentials_(conn, account_id), signal_(conn, account_id) {}

  store::CredentialsStore& credentials() override { return credentials_; }
  store::SignalStore& signal() override { return signal_; }
  Status atomically(const std::function<Status()>& body) override {
    auto tx = WACRM_TRY(store::PgTransaction::begin(conn_));
    WACRM_TRY(body());  // returning early rolls back (PgTransaction's destructor)
    return tx.commit();
  }

 private:
  store::PgConnection& conn_;
  store::PgCredentialsStore credentials_;
  store::PgSignalStore signal_;
};

}  // namespace

bool PgStoreAccess::submit(std::int64_t account_id, std::function<void(wa::AccountStores&)> job) {
  return pool_.submit([account_id, job = std::move(job)](store::PgConnection& conn) {
    PgAccountStores stores(conn, account_id);
    job(stores);
  });
}

}  // namespace wacrm::daemon
