// The daemon's event stream as a fan-out: whatever raises events (the CRM's
// due-event timer, the message receivers, the WhatsApp sessions) publishes
// here; every subscriber (a control connection's events.subscribe, later the
// D-Bus object and the HTTP WebSocket) reads its own bounded queue.
//
// Publishing never waits for a subscriber: a queue that is full drops its
// oldest event and counts it, and the subscriber learns how many it missed
// with its next take(). No Asio here: a subscriber is told through its
// notify callback (called on the publisher's thread, outside every lock)
// and reads on its own thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wacrm::events {

struct Event {
  std::string type;      // "crm.reminder_due", "message.stored", ... (wacrm.control.DaemonEvent.type)
  std::string account;   // empty: not an account's (every subscriber gets it)
  std::string frame;     // the serialized wacrm.control.DaemonEvent
};

class Subscription {
 public:
  using Notify = std::function<void()>;

  struct Batch {
    std::uint64_t dropped = 0;   // events lost before `events` (queue full)
    std::vector<Event> events;   // oldest first
    bool closed = false;         // the hub closed: nothing more will come
  };

  Subscription(std::string account, std::size_t capacity, Notify notify);

  // Everything waiting, and re-arms the notification.
  Batch take();
  // The hub has closed (what is still queued can be taken).
  bool closed();
  const std::string& account() const { return account_; }

 private:
  friend class EventHub;
  // False when the event is not for this subscriber.
  bool wants(const Event& event) const;
  // Queues (dropping the oldest when full); true when notify is due.
  bool push(const Event& event);
  bool close();

  const std::string account_;
  const std::size_t capacity_;
  const Notify notify_;
  std::mutex mutex_;
  std::deque<Event> queue_;
  std::uint64_t dropped_ = 0;
  bool closed_ = false;
  bool notified_ = false;   // notify called and take() not yet
};

class EventHub {
 public:
  // At most this many events wait per subscriber unless it asks otherwise.
  static constexpr std::size_t kDefaultCapacity = 256;

  // Events of `account` (empty: of every account) from now on, plus the
  // account-less ones. The hub keeps only a weak reference: dropping the
  // returned pointer unsubscribes. After close() the subscription starts
  // closed (its notify is called once).
  std::shared_ptr<Subscription> subscribe(std::string account, Subscription::Notify notify,
                                          std::size_t capacity = kDefaultCapacity);

  // Any thread. Never blocks on a subscriber.
  void publish(const Event& event);

  // Ends every subscription (wacrmd is stopping); publish does nothing afterwards.
  void close();

  // Live subscriptions.
  std::size_t subscribers() const;

 private:
  std::vector<std::shared_ptr<Subscription>> live();

  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<Subscription>> subscriptions_;
  bool closed_ = false;
};

}  // namespace wacrm::events
