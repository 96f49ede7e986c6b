// Receives <message> stanzas: decrypts them, stores what they say together
// with the Signal state the decryption advanced, and says what to send back
// (protocol notes 02 §1, §3). Sans-I/O: a stanza and the account's stores in,
// nodes to send and events out. The session sends the nodes only after
// handle_message() returned -- that is, after the commit.
//
// One stanza (or one backlog of them, handle_messages), one transaction
// (MessageStores::atomically):
//   addressing (chat, author, Signal address)  ->  already stored? then only
//   the receipt again  ->  decrypt every <enc> in order on a StateTransaction
//   (a group sender key from a pkmsg before the skmsg that needs it)  ->
//   strip padding, parse, extract_content  ->  store the message (or a
//   placeholder)  ->  flush the Signal state into the same transaction  ->
//   commit  ->  receipt + ack.
// Plain messages (store::can_store_together) of a batch are stored together
// in one statement (MessageRepository::store_many) when something else needs
// the store in order -- another store, a key's look-up -- or at the end,
// before the Signal state: at a thousand messages a second, one INSERT per
// message was most of PostgreSQL's work (migrations/008).
// Undecryptable (no session, bad MAC, invalid message, unknown pre-key): a
// placeholder and a retry receipt, <keys> from the second retry on, until
// the retry limit (then the placeholder stays); the re-sent message replaces
// the placeholder. A counter used already (duplicate): the message was
// committed before, so only the receipt again. <unavailable/>: a placeholder
// and an ack.
//
// Failures: a stanza that cannot be read (no id, bad addresses) is refused
// with a nack so the server stops sending it. A database failure rolls
// everything back and returns the error with nothing to send: the server
// keeps the stanza and delivers it again, and it decrypts again. Never throws.
//
// Not thread-safe; one handler per account, calls serialized (Signal
// requires stanzas one at a time in arrival order).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "signal/context.h"
#include "signal/state_transaction.h"
#include "store/message_repository.h"
#include "wa/message_addressing.h"
#include "wa/message_content.h"
#include "wa/message_record.h"
#include "wa/message_stores.h"
#include "wire/node.h"

namespace wacrm::wa {

// What changed, for the CRM and notifications.
struct MessageEvent {
  enum class Type {
    stored,          // a new message (or a placeholder replaced by it)
    placeholder,     // could not be read (yet)
    redelivered,     // already stored: only the receipt was sent again
    status_changed,  // a receipt raised the status of our messages
  };
  Type type = Type::stored;
  std::string chat_jid;
  std::vector<std::string> wa_ids;
  std::string sender_jid;
  bool from_me = false;
  std::string kind;                  // messages.kind of a stored message
  SystemKind system = SystemKind::none;
  std::int64_t message_id = 0;       // stored / placeholder
  std::optional<store::MessageStatus> status;  // status_changed
  int changed = 0;                   // status_changed: messages updated
};

struct HandleResult {
  std::vector<wire::Node> send;      // in order, after the commit
  std::vector<MessageEvent> events;
  // Set when nothing was committed and nothing is to be sent (the database
  // failed): the stanza stays unacknowledged and comes again.
  std::optional<Error> error;
};

// Runs body in one transaction of `stores`. If it (or the commit) fails, the
// result holds only the error: nothing to send, no events.
HandleResult run_in_transaction(MessageStores& stores, const std::function<Status(HandleResult&)>& body);

struct MessageHandlerConfig {
  std::int64_t account_id = 0;
  OwnIdentity own;
  // Presence "available" was sent: delivery receipts without type="inactive".
  bool available = false;
};

class MessageHandler {
 public:
  // context must outlive the handler; it is used for every decryption.
  MessageHandler(signal::Context& context, MessageHandlerConfig config);

  HandleResult handle_message(const wire::Node& stanza, MessageStores& stores);
  // A backlog (the offline queue, a burst) in ONE transaction: one result per
  // stanza, in order. If anything fails, nothing is committed and every
  // result carries the error (unreadable stanzas keep their nack).
  std::vector<HandleResult> handle_messages(std::span<const wire::Node> stanzas, MessageStores& stores);

  const MessageHandlerConfig& config() const { return config_; }
  void set_available(bool available) { config_.available = available; }

  // Tests: runs inside the transaction after the messages and the Signal
  // state were written, right before the commit; an error rolls back.
  void set_before_commit(std::function<Status()> hook) { before_commit_ = std::move(hook); }

 private:
  struct Decryption;
  // What a batch of stanzas looked up at its start, in one round trip each
  // rather than one per stanza: every key's stored row (handed out once: a
  // key met again in the batch is looked up anew, an earlier stanza may have
  // stored it) and the senders' sessions (into the batch's overlay).
  struct Prefetched {
    std::map<std::tuple<std::string, std::string, std::string>, std::optional<store::ExistingMessage>> existing;
  };
  Result<Prefetched> prefetch(std::span<const wire::Node> stanzas,
                              const std::vector<std::optional<MessageAddressing>>& addressing, MessageStores& stores,
                              signal::StateTransaction& state);
  // One stanza inside the batch's transaction; its Signal changes stay in
  // `state` until the batch is flushed.
  Status process(const wire::Node& stanza, const MessageAddressing& a, MessageStores& stores,
                 signal::StateTransaction& state, Prefetched& prefetched, HandleResult& out);
  // Every <enc> in order; only database and internal failures are errors.
  Status decrypt_all(const wire::Node& stanza, const MessageAddressing& a, store::SignalStore& state,
                     Decryption& d);
  // Plaintext (newsletters), <unavailable/>, or nothing we can read.
  Status process_without_enc(const wire::Node& stanza, const RecordContext& ctx, MessageStores& stores,
                             HandleResult& out);
  Status store_content(const wire::Node& stanza, const RecordContext& ctx, MessageStores& stores,
                       const MessageContent& content, ByteView raw, HandleResult& out);
  Status store_failure(const wire::Node& stanza, const RecordContext& ctx, MessageStores& stores,
                       const Decryption& d, HandleResult& out);
  Status commit_point();
  // Stores a message now, or -- when it can be stored together with others
  // (store::can_store_together) -- at the next flush, in one statement with
  // the batch's other such messages; its event in `out` is completed then.
  Status store_or_defer(store::NewMessage record, MessageStores& stores, HandleResult& out, SystemKind system);
  // Stores what waits, in order, before anything else reads or writes
  // messages (another store, a look-up of a key, the commit).
  Status flush_pending(MessageStores& stores);
  // Stores a message at once, after what waits; if that recorded a LID/phone
  // pair, what settled_ knows may no longer hold.
  Result<store::StoreResult> store_now(const store::NewMessage& record, MessageStores& stores);
  // Whether every pair `record` names is on record (settled_, asking the
  // store for pairs it does not know yet).
  Result<bool> pairs_on_record(const store::NewMessage& record, MessageStores& stores);

  struct PendingStore {
    store::NewMessage record;
    HandleResult* out = nullptr;
    std::size_t event = 0;  // index in out->events
  };
  std::vector<PendingStore> pending_;
  // LID/phone pairs known to be on record in this batch's transaction: the
  // batch's senders are asked about in one round trip at its start.
  std::set<store::LidPair> settled_;

  signal::Context& context_;
  MessageHandlerConfig config_;
  std::function<Status()> before_commit_;
};

}  // namespace wacrm::wa
