#include "crm/when.h"

#include "crm/calendar_time.h"
#include "crm/duration.h"

namespace wacrm::crm {

Result<store::TimePoint> due_time(std::string_view in, std::string_view at, store::TimePoint now,
                                  std::string_view tz, store::CrmStore& store) {
  if (!in.empty() && !at.empty())
    return make_error(Errc::invalid_argument, "give either a duration (--in 3d) or a date (--at 2024-06-01), not both");
  if (!in.empty()) return now + WACRM_TRY(parse_duration(in));
  if (at.empty())
    return make_error(Errc::invalid_argument,
                      "say when: a duration (--in 3d, 2h30m, 1w) or a date (--at 2024-06-01 or 2024-06-01 14:30)");
  auto t = WACRM_TRY(parse_calendar_time(at));
  if (!t.has_time) t.hour = 9;
  return to_instant(t, tz, store);
}

Result<store::TimePoint> range_start(std::string_view text, std::string_view tz, store::CrmStore& store) {
  return to_instant(WACRM_TRY(parse_calendar_time(text)), tz, store);
}

Result<store::TimePoint> range_end(std::string_view text, std::string_view tz, store::CrmStore& store) {
  auto t = WACRM_TRY(parse_calendar_time(text));
  return to_instant(t.has_time ? t : t.plus_days(1), tz, store);
}

}  // namespace wacrm::crm
