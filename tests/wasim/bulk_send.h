// A load generator for issue 6's throughput benchmark
// (tests/bench/bench_messages.sh, POST /v1/bulk_send): K simulated people
// send N texts to one account, each a real Signal message made by its
// sender's phone (SimulatedPeople::send) for every companion of the account.
// Either as fast as the account confirms them -- at most `window` messages
// unconfirmed, as a server's socket would push back -- or paced at `rate`
// messages per second.
//
// Each message's send time (unix microseconds, taken once its stanzas were
// handed to the connection) goes to `times_file` as "id,sent_us" lines, so
// the benchmark can compare it with the time the database committed the
// message (same machine, same clock).
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace wacrm::wasim {

class World;

class BulkSend {
 public:
  using Done = std::function<void(Result<nlohmann::json>)>;

  explicit BulkSend(World& world) : world_(world) {}

  // {"to","count","people"?:50,"rate"?:0 (as fast as confirmed),
  //  "window"?:1000,"text_bytes"?:60,"phone_prefix"?:"1999","times_file"?}
  // Creates the people (phone_prefix + 6 digits) if they do not exist yet.
  // `done` gets {"sent","seconds","per_second"} once every message was
  // written, or the error that stopped the run (a window that stays full
  // for 30 s: the account is not reading).
  void start(const nlohmann::json& request, Done done);

 private:
  struct Run;

  World& world_;
};

}  // namespace wacrm::wasim
