// Durations as people type them: "3d", "2h30m", "1w", "45m", "1w2d" (CRM
// reminders, snoozes, and config values such as crm.pending-overdue-after).
#pragma once

#include <chrono>
#include <string_view>

#include "base/error.h"

namespace wacrm {

// A positive number of weeks (w), days (d), hours (h), minutes (m) and
// seconds (s), each unit at most once, largest first; at most 100 years.
// Errc::invalid_argument quoting the text and naming the accepted forms.
Result<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace wacrm
