// What happened, for tests: a sequence-numbered log of events (README
// "EVENT"), filterable, with waiters so a test can block on "the next receipt
// from that device" instead of sleeping. Pure: timeouts belong to the caller.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wacrm::wasim {

struct Event {
  std::uint64_t seq = 0;
  std::int64_t t_ms = 0;  // unix milliseconds
  std::string type;
  nlohmann::json data;

  nlohmann::json to_json() const;
};

struct EventFilter {
  std::uint64_t after = 0;          // only events with seq > after
  std::vector<std::string> types;   // empty: any type
  // Each key must be a field of data whose value, printed as a string (or
  // any element of an array field), equals the given value.
  std::map<std::string, std::string> fields;

  bool matches(const Event& event) const;
};

class EventLog {
 public:
  using Waiter = std::function<void(std::vector<Event>)>;

  explicit EventLog(std::size_t capacity = 100000) : capacity_(capacity) {}

  std::uint64_t append(std::string type, nlohmann::json data);
  std::vector<Event> query(const EventFilter& filter, std::size_t limit = 1000) const;
  std::uint64_t last_seq() const { return next_seq_ - 1; }

  // Calls `waiter` once with the matching events: at once if there are
  // some, else at the first append that matches. Returns an id for cancel().
  std::uint64_t wait(EventFilter filter, std::size_t limit, Waiter waiter);
  // Removes a waiter that has not fired; returns false if it already fired.
  bool cancel(std::uint64_t waiter_id);
  // Fires every pending waiter with no events (shutdown).
  void release_all();

 private:
  struct Pending {
    EventFilter filter;
    std::size_t limit;
    Waiter waiter;
  };
  std::size_t capacity_;
  std::deque<Event> events_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t next_waiter_ = 1;
  std::map<std::uint64_t, Pending> waiters_;
};

}  // namespace wacrm::wasim
