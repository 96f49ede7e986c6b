// "status": what the daemon is and how it is doing. Static facts come from
// the daemon (StatusSource, read on the loop); schema version, server version
// and accounts from the database (on the pool); live session state from the
// WhatsApp layer once it exists (StatusSource::connected).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace wacrm::control {

class MethodTable;
class PoolRunner;

struct StatusSource {
  std::string version;
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
  bool embedded_database = true;
  // Whether an account has a live WhatsApp session now; empty = none do.
  std::function<bool(std::int64_t account_id)> connected;
  // The account's live session state in words; empty = no session.
  std::function<std::string(std::int64_t account_id)> session;
};

// source and runner must outlive the table's use; source is read on the loop.
void register_status_method(MethodTable& table, PoolRunner& runner, const StatusSource& source);

}  // namespace wacrm::control
