#include "base/duration.h"

#include <cstdint>
#include <string>

namespace wacrm {

namespace {

constexpr std::string_view kUnits = "wdhms";
constexpr std::int64_t kUnitSeconds[] = {7 * 86400, 86400, 3600, 60, 1};
constexpr std::int64_t kMaxSeconds = 100LL * 366 * 86400;

Error bad_duration(std::string_view text, std::string_view why) {
  return Error{Errc::invalid_argument,
               "invalid duration '" + std::string(text) + "' (" + std::string(why) +
                   "): use a number and a unit, w (weeks), d (days), h (hours), m (minutes) or s (seconds), "
                   "alone or combined largest first, as in 3d, 2h30m or 1w"};
}

}  // namespace

Result<std::chrono::seconds> parse_duration(std::string_view text) {
  std::int64_t total = 0;
  std::size_t pos = 0;
  std::size_t next_unit = 0;   // units must come in kUnits order, each once
  if (text.empty()) return std::unexpected(bad_duration(text, "empty"));
  while (pos < text.size()) {
    std::int64_t n = 0;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 9) return std::unexpected(bad_duration(text, "number too large"));
      n = n * 10 + (text[pos++] - '0');
    }
    if (digits == 0) return std::unexpected(bad_duration(text, "expected a number"));
    if (pos == text.size()) return std::unexpected(bad_duration(text, "missing unit"));
    char unit = text[pos++];
    if (unit >= 'A' && unit <= 'Z') unit = static_cast<char>(unit - 'A' + 'a');
    auto index = kUnits.find(unit);
    if (index == std::string_view::npos)
      return std::unexpected(bad_duration(text, "unknown unit '" + std::string(1, text[pos - 1]) + "'"));
    if (index < next_unit) return std::unexpected(bad_duration(text, "units out of order or repeated"));
    next_unit = index + 1;
    total += n * kUnitSeconds[index];
    if (total > kMaxSeconds) return std::unexpected(bad_duration(text, "longer than 100 years"));
  }
  if (total == 0) return std::unexpected(bad_duration(text, "must be longer than zero"));
  return std::chrono::seconds(total);
}

}  // namespace wacrm
