// MessageStores over one PostgreSQL connection, for the handler tests: what
// the daemon's per-job stores do (PgSignalStore and PgMessageRepository on
// the worker's connection, the credentials store for retry keys, one
// PgTransaction per stanza); and MessageStoreAccess on a PgPool.
#pragma once

#include "store/pg/pg_connection.h"
#include "store/pg/pg_credentials_store.h"
#include "store/pg/pg_message_repository.h"
#include "store/pg/pg_pool.h"
#include "store/pg/pg_signal_store.h"
#include "wa/message_receiver.h"
#include "wa/message_stores.h"

namespace wacrm::wa::testing {

class PgMessageStores final : public MessageStores {
 public:
  PgMessageStores(store::PgConnection& conn, std::int64_t account_id)
      : conn_(conn), signal_(conn, account_id), messages_(conn), credentials_(conn, account_id) {}

  store::SignalStore& signal() override { return signal_; }
  store::MessageRepository& messages() override { return messages_; }

  Status atomically(const std::function<Status()>& body) override {
    auto tx = WACRM_TRY(store::PgTransaction::begin(conn_));
    WACRM_TRY(body());
    return tx.commit();
  }

  Result<Bytes> device_identity() override {
    auto credentials = WACRM_TRY(credentials_.load());
    if (!credentials || !credentials->linked) return make_error(Errc::not_found, "no linked device");
    return credentials->linked->adv_signed_identity;
  }

  Result<std::uint32_t> allocate_pre_key_id() override {
    auto credentials = WACRM_TRY(credentials_.load());
    if (!credentials) return make_error(Errc::not_found, "no device credentials");
    const std::uint32_t id = credentials->next_pre_key_id;
    WACRM_TRY(credentials_.set_next_pre_key_id(id + 1));
    return id;
  }

 private:
  store::PgConnection& conn_;
  store::PgSignalStore signal_;
  store::PgMessageRepository messages_;
  store::PgCredentialsStore credentials_;
};

// MessageStoreAccess on a PgPool: each job gets PgMessageStores on its
// worker's connection (what the daemon's wiring does).
class PgMessageStoreAccess final : public MessageStoreAccess {
 public:
  explicit PgMessageStoreAccess(store::PgPool& pool) : pool_(pool) {}
  bool submit(std::int64_t account_id, std::function<void(MessageStores&)> job) override {
    return pool_.submit([account_id, job = std::move(job)](store::PgConnection& conn) {
      PgMessageStores stores(conn, account_id);
      job(stores);
    });
  }

 private:
  store::PgPool& pool_;
};

}  // namespace wacrm::wa::testing
