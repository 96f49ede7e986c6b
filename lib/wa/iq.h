// Info/query requests (protocol notes 01 §7.1): ids unique per connection,
// answers matched to waiters by id, deadlines, and the failure of everything
// pending when the connection goes. Pure: the caller feeds incoming iq
// answers and the time; lib/wa/connection drives it from a timer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "wire/node.h"

namespace wacrm::wa {

// The server's JID as iqs address it ("@s.whatsapp.net" on the wire as a JID pair).
std::string server_jid();

// <iq to=server type=type xmlns=xmlns>children</iq>, without an id yet.
wire::Node make_iq(std::string_view type, std::string_view xmlns, wire::Node::Children children = {});
// <iq to=server type="result" id=id/>: our answer to an iq the server sent.
wire::Node iq_result(std::string_view id);
// <ack id class to type?/> for a stanza we processed (notes 02 §3.2).
wire::Node ack_for(const wire::Node& stanza);

// An <iq type="error"> as an Error: Errc from the code (400 invalid_argument,
// 401/403 permission_denied, 404 not_found, 408 timeout, 5xx unavailable,
// else protocol) and "server answered <code> <text>".
Error iq_error(const wire::Node& iq);

class IqTracker {
 public:
  using Clock = std::chrono::steady_clock;
  // The answer (type result) or the error (type error, timeout, connection closed).
  using Callback = std::function<void(Result<wire::Node>)>;

  // Ids are "<prefix>-<counter>"; the prefix is two random bytes as
  // "<u8>.<u8>" (whatsmeow's form) unless given.
  explicit IqTracker(std::string prefix = {});

  // A fresh id (also for stanzas that need one but get no answer).
  std::string next_id();
  // Gives the iq an id (unless it has one) and remembers callback until deadline.
  // Returns the id.
  std::string track(wire::Node& iq, Clock::time_point deadline, Callback callback);
  // An incoming iq of type result or error: runs and forgets its waiter.
  // False when nobody waits for that id (the caller decides what it is).
  bool on_response(const wire::Node& iq);
  // Fails (Errc::timeout) every request whose deadline is not after now.
  void expire(Clock::time_point now);
  // The earliest deadline still pending.
  std::optional<Clock::time_point> next_deadline() const;
  // Fails every pending request with error (the connection closed).
  void fail_all(const Error& error);
  std::size_t pending() const { return waiting_.size(); }

 private:
  struct Waiter {
    Clock::time_point deadline;
    Callback callback;
    std::string description;  // "<xmlns> <type>", for the timeout message
  };
  std::string prefix_;
  std::uint64_t counter_ = 0;
  std::map<std::string, Waiter> waiting_;
};

}  // namespace wacrm::wa
