// The message handler's database access (wa/message_stores.h,
// wa/message_receiver.h) on the daemon's PgPool: each job gets
// PgMessageStores on its worker's connection -- PgSignalStore and
// PgMessageRepository on that one connection, the credentials store for the
// keys a retry receipt carries, and atomically() as one PgTransaction -- so a
// message and the Signal state its decryption advanced commit together.
#pragma once

#include "store/pg/pg_connection.h"
#include "store/pg/pg_credentials_store.h"
#include "store/pg/pg_message_repository.h"
#include "store/pg/pg_pool.h"
#include "store/pg/pg_signal_store.h"
#include "wa/message_receiver.h"
#include "wa/message_stores.h"

namespace wacrm::daemon {

class PgMessageStores final : public wa::MessageStores {
 public:
  // conn must outlive this object; one thread at a time.
  PgMessageStores(store::PgConnection& conn, std::int64_t account_id)
      : conn_(conn), signal_(conn, account_id), messages_(conn), credentials_(conn, account_id) {}

  store::SignalStore& signal() override { return signal_; }
  store::MessageRepository& messages() override { return messages_; }
  Status atomically(const std::function<Status()>& body) override;
  Result<Bytes> device_identity() override;
  Result<std::uint32_t> allocate_pre_key_id() override;

 private:
  store::PgConnection& conn_;
  store::PgSignalStore signal_;
  store::PgMessageRepository messages_;
  store::PgCredentialsStore credentials_;
};

class PgMessageStoreAccess final : public wa::MessageStoreAccess {
 public:
  // pool must outlive this object.
  explicit PgMessageStoreAccess(store::PgPool& pool) : pool_(pool) {}
  bool submit(std::int64_t account_id, std::function<void(wa::MessageStores&)> job) override;

 private:
  store::PgPool& pool_;
};

}  // namespace wacrm::daemon
