#include "crm/calendar_time.h"

#include <gtest/gtest.h>

namespace wacrm::crm {
namespace {

TEST(CalendarTime, DatesAndWallClockTimes) {
  auto d = parse_calendar_time("2024-06-01");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->has_time);
  EXPECT_EQ(d->wall_clock(), "2024-06-01 00:00:00");

  auto t = parse_calendar_time("2024-06-01 09:30");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->has_time);
  EXPECT_FALSE(t->utc_offset_minutes);
  EXPECT_EQ(t->wall_clock(), "2024-06-01 09:30:00");
  EXPECT_EQ(parse_calendar_time("2024-06-01T09:30:15")->wall_clock(), "2024-06-01 09:30:15");
}

TEST(CalendarTime, Offsets) {
  EXPECT_EQ(parse_calendar_time("2024-06-01T09:30:00Z")->utc_offset_minutes, 0);
  EXPECT_EQ(parse_calendar_time("2024-06-01T09:30:00+02:00")->utc_offset_minutes, 120);
  EXPECT_EQ(parse_calendar_time("2024-06-01 09:30+0530")->utc_offset_minutes, 330);
  EXPECT_EQ(parse_calendar_time("2024-06-01 09:30-05")->utc_offset_minutes, -300);
}

TEST(CalendarTime, PlusDaysCrossesMonthsAndLeapDays) {
  EXPECT_EQ(parse_calendar_time("2024-02-28")->plus_days(1).wall_clock(), "2024-02-29 00:00:00");
  EXPECT_EQ(parse_calendar_time("2024-12-31")->plus_days(1).wall_clock(), "2025-01-01 00:00:00");
}

TEST(CalendarTime, RejectsWithTheAcceptedForms) {
  for (std::string_view bad : {"", "tomorrow", "01.06.2024", "2024-6-1", "2024-02-30", "2023-02-29", "2024-13-01",
                               "2024-06-01 25:00", "2024-06-01 09:60", "2024-06-01T09", "2024-06-01 09:30+2",
                               "2024-06-01 09:30:00 CET", "2024-06-01x"}) {
    auto r = parse_calendar_time(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_NE(r.error().message.find("YYYY-MM-DD"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("+02:00"), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace wacrm::crm
