// The instants requests name: a reminder's due time, a search's date range.
#pragma once

#include <string_view>

#include "base/error.h"
#include "store/crm_store.h"

namespace wacrm::crm {

// Exactly one of `in` (a duration from now, see duration.h) and `at` (see
// calendar_time.h; a date alone means 09:00 that day in tz).
// Errc::invalid_argument when both or neither are given, or either is bad.
Result<store::TimePoint> due_time(std::string_view in, std::string_view at, store::TimePoint now,
                                  std::string_view tz, store::CrmStore& store);

// Bounds of a date range. A date alone covers the whole day: range_start is
// its first instant, range_end the first instant of the next day (the end is
// exclusive). A date-time is taken as is.
Result<store::TimePoint> range_start(std::string_view text, std::string_view tz, store::CrmStore& store);
Result<store::TimePoint> range_end(std::string_view text, std::string_view tz, store::CrmStore& store);

}  // namespace wacrm::crm
