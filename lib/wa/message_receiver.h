// Where a session hands the stanzas it does not handle itself (<message>,
// <receipt>, <notification>; wa/session_observer.h): one account's stanzas
// are processed strictly one at a time in arrival order (Signal needs it,
// notes 02 §1.4) on a database thread, and what the handlers say to send
// goes out through the caller's `send` only after their commit. Messages
// that queued up meanwhile (the offline queue, a burst) share one
// transaction, up to kMaxBatch.
//
// Plugging it in (the session's observer):
//   bool on_stanza(Session& s, const wire::Node& stanza) override {
//     return receiver.take(stanza, [weak = s.weak_from_this()](const wire::Node& n) {
//       if (auto session = weak.lock()) (void)session->send(n);
//     });
//   }
// A stanza whose processing failed (the database is down) gets nothing sent:
// the server keeps it and delivers it again at the next login.
//
// Lives on the loop: create, call and destroy it there. The handler and its
// Signal context are used by one database job at a time.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "signal/context.h"
#include "wa/message_handler.h"
#include "wa/message_stores.h"
#include "wire/node.h"

namespace wacrm::wa {

// Runs jobs on a database thread with the account's MessageStores (the daemon:
// a PgPool worker's connection). False when the job cannot be queued.
class MessageStoreAccess {
 public:
  virtual ~MessageStoreAccess() = default;
  virtual bool submit(std::int64_t account_id, std::function<void(MessageStores&)> job) = 0;
};

class MessageReceiver {
 public:
  using Send = std::function<void(const wire::Node&)>;
  using OnEvent = std::function<void(const MessageEvent&)>;
  using OnError = std::function<void(const wire::Node& stanza, const Error& error)>;

  // Errc::internal when no Signal context can be made. Without a config,
  // stanzas wait in the queue until configure() (the session learns our own
  // JIDs from the database after login; the offline queue may come first).
  static Result<std::unique_ptr<MessageReceiver>> create(boost::asio::any_io_executor loop, MessageStoreAccess& access,
                                                         std::optional<MessageHandlerConfig> config = std::nullopt);
  ~MessageReceiver();

  // Our account and own JIDs; starts processing what is queued. Once only.
  void configure(MessageHandlerConfig config);
  bool configured() const { return configured_; }

  // True for message, receipt and notification stanzas, which are queued;
  // false for anything else (not ours to answer).
  bool take(const wire::Node& stanza, Send send);
  // The answer to the session's groups query (wa/group_info.h), stored in
  // its turn among the stanzas; nothing is sent for it.
  void take_group_answer(const wire::Node& answer);

  // Called on the loop, for every event and every stanza that failed.
  void on_event(OnEvent callback) { on_event_ = std::move(callback); }
  void on_error(OnError callback) { on_error_ = std::move(callback); }
  void set_available(bool available);
  // Tests: see MessageHandler::set_before_commit. Call before configure().
  void set_before_commit(std::function<Status()> hook);

  // Stanzas waiting or being processed.
  std::size_t queued() const { return queue_.size() + in_flight_; }

  // Back-pressure: the queue is bounded by its caller. `full(true)` runs
  // (once) when queued() reaches kHighWater — the caller stops reading from
  // the server (Session::set_reading_paused), so an offline backlog waits in
  // TCP and on the server instead of in our memory — and `full(false)` once
  // it is down to kLowWater. take() still queues every stanza it is given.
  using OnFull = std::function<void(bool full)>;
  void on_full(OnFull callback) { on_full_ = std::move(callback); }
  bool full() const { return full_; }
  // Low enough for the pause to be worth it, high enough that the next
  // batches (kMaxBatch) are read before the current one is done.
  static constexpr std::size_t kHighWater = 512;
  static constexpr std::size_t kLowWater = 256;

 private:
  struct Item {
    wire::Node stanza;
    Send send;
  };
  // Work shared with database jobs, which may outlive this object.
  struct Worker;

  MessageReceiver(boost::asio::any_io_executor loop, MessageStoreAccess& access, std::shared_ptr<Worker> worker);
  // At most this many <message> stanzas share a transaction: a batch costs a
  // few round trips of its own (its look-ups, the ratchets' flush, the
  // commit), so an offline backlog drains faster in larger ones (bench_messages.sh:
  // ~700-930 -> ~1,020-1,075 messages/s from 32 to 128 here).
  static constexpr std::size_t kMaxBatch = 128;

  void pump();
  void update_full();
  void finish(std::vector<Item> batch, std::vector<HandleResult> results);

  boost::asio::any_io_executor loop_;
  MessageStoreAccess& access_;
  std::shared_ptr<Worker> worker_;
  std::shared_ptr<bool> alive_;
  std::deque<Item> queue_;
  bool busy_ = false;
  std::size_t in_flight_ = 0;
  bool configured_ = false;
  OnEvent on_event_;
  std::function<Status()> before_commit_;  // handed to the handler by configure()
  OnError on_error_;
  OnFull on_full_;
  bool full_ = false;
};

}  // namespace wacrm::wa
