// What the message handler needs of an account's database, for one stanza,
// on ONE connection: the Signal state, the message repository, the pieces
// of the device credentials a retry receipt carries, and a way to run a body
// in one transaction.
//
// The daemon implements it on a database worker's PgConnection
// (PgSignalStore + PgMessageRepository on that connection; atomically() =
// PgTransaction begin/commit), next to the session's AccountStores
// (wa/store_access.h): an AccountStores implementation can simply implement
// this interface too. Tests do the same over the test database.
#pragma once

#include <cstdint>
#include <functional>

#include "base/bytes.h"
#include "base/error.h"
#include "store/message_repository.h"
#include "store/signal_store.h"

namespace wacrm::wa {

class MessageStores {
 public:
  virtual ~MessageStores() = default;

  // The persistent Signal state (writes go through this connection).
  virtual store::SignalStore& signal() = 0;
  virtual store::MessageRepository& messages() = 0;

  // Runs body in one database transaction: committed when body succeeds and
  // the commit does, rolled back otherwise (then the error is returned).
  virtual Status atomically(const std::function<Status()>& body) = 0;

  // Retry receipts with keys (notes 02 §1.7), called inside atomically():
  // our ADVSignedDeviceIdentity as stored at pairing, and the id for one new
  // one-time pre-key (the allocation is part of the transaction).
  virtual Result<Bytes> device_identity() = 0;
  virtual Result<std::uint32_t> allocate_pre_key_id() = 0;
};

}  // namespace wacrm::wa
