#include "store/pg/pg_time.h"

#include <gtest/gtest.h>

namespace wacrm::store {
namespace {

using namespace std::chrono;

TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi, int s, microseconds frac = microseconds(0)) {
  return TimePoint(sys_days(year(y) / month(mo) / day(d)).time_since_epoch() + hours(h) + minutes(mi) + seconds(s) +
                   frac);
}

TEST(PgTime, ParsesWholeSeconds) {
  auto t = parse_timestamptz("2024-05-01 12:34:56+00");
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(*t, utc(2024, 5, 1, 12, 34, 56));
}

TEST(PgTime, ParsesFractionalSecondsOfAnyLength) {
  EXPECT_EQ(parse_timestamptz("2024-05-01 12:34:56.5+00").value(), utc(2024, 5, 1, 12, 34, 56, microseconds(500000)));
  EXPECT_EQ(parse_timestamptz("2024-05-01 12:34:56.123456+00").value(),
            utc(2024, 5, 1, 12, 34, 56, microseconds(123456)));
  EXPECT_EQ(parse_timestamptz("2024-05-01 12:34:56.000001+00").value(), utc(2024, 5, 1, 12, 34, 56, microseconds(1)));
  // Beyond PostgreSQL's resolution: truncated to microseconds.
  EXPECT_EQ(parse_timestamptz("2024-05-01 12:34:56.1234569+00").value(),
            utc(2024, 5, 1, 12, 34, 56, microseconds(123456)));
}

TEST(PgTime, AppliesUtcOffsets) {
  EXPECT_EQ(parse_timestamptz("2024-05-01 18:04:56+05:30").value(), utc(2024, 5, 1, 12, 34, 56));
  EXPECT_EQ(parse_timestamptz("2024-05-01 04:34:56-08").value(), utc(2024, 5, 1, 12, 34, 56));
  EXPECT_EQ(parse_timestamptz("2024-05-01 12:35:06+00:00:10").value(), utc(2024, 5, 1, 12, 34, 56));
  EXPECT_EQ(parse_timestamptz("2024-01-01 00:30:00+01").value(), utc(2023, 12, 31, 23, 30, 0));
  EXPECT_EQ(parse_timestamptz("2024-05-01T12:34:56Z").value(), utc(2024, 5, 1, 12, 34, 56));
}

TEST(PgTime, RejectsInfinityBcAndGarbage) {
  for (std::string_view bad : {"infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "2024-05-01 12:34:56",
                               "2024-02-30 00:00:00+00", "2024-05-01 24:00:00+00", "2024-05-01 12:34+00",
                               "2024-05-01 12:34:56.+00", "2024-05-01 12:34:56+00 junk", "1500-01-01 00:00:00+00",
                               "2300-01-01 00:00:00+00", "", "yesterday"}) {
    auto t = parse_timestamptz(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, Errc::malformed) << bad;
    EXPECT_NE(t.error().message.find(std::string(bad)), std::string::npos) << t.error().message;
  }
}

TEST(PgTime, FormatsUtcWithMicroseconds) {
  EXPECT_EQ(format_timestamptz(utc(2024, 5, 1, 12, 34, 56, microseconds(123456))), "2024-05-01 12:34:56.123456+00");
  EXPECT_EQ(format_timestamptz(utc(2024, 5, 1, 0, 0, 0)), "2024-05-01 00:00:00.000000+00");
  // Before the epoch the fraction still counts forward from the whole second.
  EXPECT_EQ(format_timestamptz(TimePoint(milliseconds(-500))), "1969-12-31 23:59:59.500000+00");
}

TEST(PgTime, FormatThenParseRoundTripsAtMicrosecondResolution) {
  TimePoint now = system_clock::now();
  auto back = parse_timestamptz(format_timestamptz(now));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, TimePoint(floor<microseconds>(now.time_since_epoch())));
}

}  // namespace
}  // namespace wacrm::store
