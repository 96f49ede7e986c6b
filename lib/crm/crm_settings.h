// What the daemon's configuration decides for the CRM.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace wacrm::crm {

struct CrmSettings {
  // "Keep in touch every N days" for contacts without their own cadence.
  int default_cadence_days = 7;
  // For requests that leave time_zone empty.
  std::string default_time_zone = "UTC";
  // A pending reply older than this raises one crm.pending_overdue event.
  std::chrono::seconds pending_overdue_after = std::chrono::hours(24);
  // Export: rows per database round trip, and the size at which a chunk is
  // sent (a chunk never holds more than one batch).
  int export_batch_rows = 1000;
  std::size_t export_chunk_bytes = 256 * 1024;
};

}  // namespace wacrm::crm
