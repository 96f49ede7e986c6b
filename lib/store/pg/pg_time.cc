#include "store/pg/pg_time.h"

#include <fmt/format.h>

#include <cstdint>

namespace wacrm::store {

namespace {

// A cursor over the timestamp text with the few reads the ISO format needs.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool skip(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Exactly `count` digits, or at least `count` when `at_least`.
  bool digits(int count, std::int64_t& out, bool at_least = false) {
    out = 0;
    int n = 0;
    while (!done() && peek() >= '0' && peek() <= '9' && (at_least || n < count)) {
      if (n >= 9) return false;  // no field we read is that long
      out = out * 10 + (text_[pos_++] - '0');
      ++n;
    }
    return n == count || (at_least && n >= count);
  }
  // The fractional digits after '.', scaled to microseconds (extra digits dropped).
  bool fraction_micros(std::int64_t& out) {
    out = 0;
    int n = 0;
    while (!done() && peek() >= '0' && peek() <= '9') {
      if (n < 6) out = out * 10 + (text_[pos_] - '0');
      ++pos_;
      ++n;
    }
    if (n == 0) return false;
    for (int i = n; i < 6; ++i) out *= 10;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Error malformed(std::string_view text, std::string_view why) {
  return Error{Errc::malformed, fmt::format("timestamp '{}': {}", text, why)};
}

}  // namespace

Result<TimePoint> parse_timestamptz(std::string_view text) {
  using namespace std::chrono;
  if (text == "infinity" || text == "-infinity")
    return std::unexpected(malformed(text, "infinite timestamps are not supported"));
  if (text.ends_with(" BC")) return std::unexpected(malformed(text, "BC dates are not supported"));

  Reader in(text);
  std::int64_t y, mo, d, h, mi, s, micros = 0;
  if (!in.digits(4, y, true) || !in.skip('-') || !in.digits(2, mo) || !in.skip('-') || !in.digits(2, d))
    return std::unexpected(malformed(text, "expected YYYY-MM-DD"));
  if (!in.skip(' ') && !in.skip('T')) return std::unexpected(malformed(text, "expected a time after the date"));
  if (!in.digits(2, h) || !in.skip(':') || !in.digits(2, mi) || !in.skip(':') || !in.digits(2, s))
    return std::unexpected(malformed(text, "expected HH:MM:SS"));
  if (in.skip('.') && !in.fraction_micros(micros))
    return std::unexpected(malformed(text, "expected digits after '.'"));

  // Offset: +HH, +HH:MM or +HH:MM:SS (PostgreSQL prints only what is non-zero).
  std::int64_t offset_seconds = 0;
  char sign = in.peek();
  if (sign == 'Z') {
    in.skip('Z');
  } else if (sign == '+' || sign == '-') {
    in.skip(sign);
    std::int64_t oh = 0, om = 0, os = 0;
    if (!in.digits(2, oh)) return std::unexpected(malformed(text, "expected a UTC offset +HH"));
    if (in.skip(':') && !in.digits(2, om)) return std::unexpected(malformed(text, "bad UTC offset minutes"));
    if (in.skip(':') && !in.digits(2, os)) return std::unexpected(malformed(text, "bad UTC offset seconds"));
    offset_seconds = (oh * 3600 + om * 60 + os) * (sign == '-' ? -1 : 1);
  } else {
    return std::unexpected(malformed(text, "missing UTC offset (is this a timestamp without time zone?)"));
  }
  if (!in.done()) return std::unexpected(malformed(text, "unexpected text after the offset"));

  year_month_day date{year(static_cast<int>(y)), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!date.ok()) return std::unexpected(malformed(text, "no such date"));
  if (h > 23 || mi > 59 || s > 59) return std::unexpected(malformed(text, "no such time of day"));
  // system_clock counts nanoseconds in 64 bits: roughly 1677-09-21 .. 2262-04-11.
  // Stay a year inside that so the arithmetic below cannot overflow.
  if (y < 1678 || y > 2261) return std::unexpected(malformed(text, "year outside 1678..2261"));

  auto since_epoch = sys_days(date).time_since_epoch() + hours(h) + minutes(mi) + seconds(s) +
                     microseconds(micros) - seconds(offset_seconds);
  return TimePoint(duration_cast<system_clock::duration>(since_epoch));
}

std::string format_timestamptz(TimePoint t) {
  using namespace std::chrono;
  auto micros = floor<microseconds>(t.time_since_epoch());
  auto day_start = floor<days>(micros);
  year_month_day date{sys_days(day_start)};
  hh_mm_ss<microseconds> time(micros - day_start);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count(),
                     time.subseconds().count());
}

}  // namespace wacrm::store
