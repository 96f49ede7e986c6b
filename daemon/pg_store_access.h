// lib/wa's database access (wa/store_access.h) on the daemon's PgPool: each
// job runs on a pool thread with PgCredentialsStore and PgSignalStore bound to
// the worker's connection, and atomically() is one PgTransaction on it.
#pragma once

#include "store/pg/pg_pool.h"
#include "wa/store_access.h"

namespace wacrm::daemon {

class PgStoreAccess final : public wa::StoreAccess {
 public:
  // pool must outlive this object.
  explicit PgStoreAccess(store::PgPool& pool) : pool_(pool) {}
  bool submit(std::int64_t account_id, std::function<void(wa::AccountStores&)> job) override;

 private:
  store::PgPool& pool_;
};

}  // namespace wacrm::daemon
