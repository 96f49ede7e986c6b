// PostgreSQL timestamptz <-> std::chrono, for the text format libpq returns.
// PgConnection sets TimeZone 'UTC' and DateStyle 'ISO' on every session, so
// values arrive as "2024-05-01 12:34:56.789+00"; other offsets are accepted
// too. Resolution is PostgreSQL's: microseconds.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/error.h"

namespace wacrm::store {

using TimePoint = std::chrono::system_clock::time_point;

// Errc::malformed for anything that is not an ISO timestamptz, and for
// 'infinity', '-infinity', BC dates and years outside what a system_clock
// time_point can hold (about 1678..2261).
Result<TimePoint> parse_timestamptz(std::string_view text);

// "YYYY-MM-DD HH:MM:SS.ffffff+00" in UTC, truncated to microseconds; usable as
// a query parameter (pg_text(format_timestamptz(t))).
std::string format_timestamptz(TimePoint t);

}  // namespace wacrm::store
