// Dates and date-times as people type them, and turning them into instants.
//
// Accepted forms:
//   2024-06-01                      a date
//   2024-06-01 09:30, 2024-06-01T09:30:15
//                                   a wall-clock time (in the request's time zone)
//   2024-06-01T09:30:00Z, 2024-06-01 09:30+02:00, ...+0200, ...+02
//                                   an exact instant
// A wall-clock time becomes an instant through PostgreSQL's time zone
// database (CrmStore::local_to_instant), so "Europe/Berlin" follows its DST.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "store/crm_store.h"

namespace wacrm::crm {

struct CalendarTime {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  bool has_time = false;
  std::optional<int> utc_offset_minutes;   // set: an exact instant

  // "YYYY-MM-DD HH:MM:SS", the wall-clock part.
  std::string wall_clock() const;
  // The same wall-clock time `days` later (or earlier), date only.
  CalendarTime plus_days(int days) const;
};

// Errc::invalid_argument quoting the text and listing the accepted forms.
Result<CalendarTime> parse_calendar_time(std::string_view text);

// The instant a calendar time names: its offset when it has one, else the
// wall clock in time zone `tz`.
Result<store::TimePoint> to_instant(const CalendarTime& t, std::string_view tz, store::CrmStore& store);

}  // namespace wacrm::crm
