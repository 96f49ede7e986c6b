#include "crm/calendar_time.h"

#include <fmt/format.h>

#include <chrono>

namespace wacrm::crm {

namespace {

Error bad_date(std::string_view text, std::string_view why) {
  return Error{Errc::invalid_argument,
               fmt::format("invalid date '{}' ({}): use YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] (in the time zone "
                           "of the request), or with an offset as in 2024-06-01T09:30:00+02:00 or ...Z",
                           text, why)};
}

// Reads exactly `count` digits at pos.
bool read_digits(std::string_view text, std::size_t& pos, int count, int& out) {
  out = 0;
  for (int i = 0; i < count; ++i, ++pos) {
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return false;
    out = out * 10 + (text[pos] - '0');
  }
  return true;
}

bool skip(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::string CalendarTime::wall_clock() const {
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", year, month, day, hour, minute, second);
}

CalendarTime CalendarTime::plus_days(int days) const {
  using namespace std::chrono;
  year_month_day ymd{sys_days(std::chrono::year{year} / month / day) + std::chrono::days(days)};
  CalendarTime out = *this;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return out;
}

Result<CalendarTime> parse_calendar_time(std::string_view text) {
  CalendarTime t;
  std::size_t pos = 0;
  if (!read_digits(text, pos, 4, t.year) || !skip(text, pos, '-') || !read_digits(text, pos, 2, t.month) ||
      !skip(text, pos, '-') || !read_digits(text, pos, 2, t.day))
    return std::unexpected(bad_date(text, "expected a date YYYY-MM-DD"));
  using namespace std::chrono;
  if (!year_month_day(std::chrono::year{t.year}, month(static_cast<unsigned>(t.month)), day(static_cast<unsigned>(t.day))).ok())
    return std::unexpected(bad_date(text, "no such day"));
  if (pos == text.size()) return t;

  if (!skip(text, pos, ' ') && !skip(text, pos, 'T'))
    return std::unexpected(bad_date(text, "expected ' ' or 'T' and a time after the date"));
  t.has_time = true;
  if (!read_digits(text, pos, 2, t.hour) || !skip(text, pos, ':') || !read_digits(text, pos, 2, t.minute))
    return std::unexpected(bad_date(text, "expected a time HH:MM"));
  if (skip(text, pos, ':') && !read_digits(text, pos, 2, t.second))
    return std::unexpected(bad_date(text, "expected seconds after HH:MM:"));
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::unexpected(bad_date(text, "no such time"));
  if (pos == text.size()) return t;

  if (skip(text, pos, 'Z') || skip(text, pos, 'z')) {
    t.utc_offset_minutes = 0;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos++] == '-' ? -1 : 1;
    int hours = 0, minutes = 0;
    if (!read_digits(text, pos, 2, hours)) return std::unexpected(bad_date(text, "expected an offset like +02:00"));
    if (pos < text.size()) {
      skip(text, pos, ':');
      if (!read_digits(text, pos, 2, minutes)) return std::unexpected(bad_date(text, "expected an offset like +02:00"));
    }
    if (hours > 14 || minutes > 59) return std::unexpected(bad_date(text, "offset out of range"));
    t.utc_offset_minutes = sign * (hours * 60 + minutes);
  }
  if (pos != text.size()) return std::unexpected(bad_date(text, "unexpected text after the time"));
  return t;
}

Result<store::TimePoint> to_instant(const CalendarTime& t, std::string_view tz, store::CrmStore& store) {
  using namespace std::chrono;
  if (t.utc_offset_minutes) {
    auto local = sys_days(std::chrono::year{t.year} / t.month / t.day) + hours(t.hour) + minutes(t.minute) +
                 seconds(t.second);
    return store::TimePoint(local - minutes(*t.utc_offset_minutes));
  }
  return store.local_to_instant(t.wall_clock(), tz);
}

}  // namespace wacrm::crm
