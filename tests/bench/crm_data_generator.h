// Fills a store with a realistic personal-CRM account for the benchmarks:
// at scale 1, 1,000,000 messages over 5,000 people and 300 groups across
// five years. Activity is skewed like real address books: a chat's
// popularity rank k gets a share proportional to 1/k (Zipf, s = 1), so the
// busiest chat holds about 8 % of all messages and most hold a handful; word
// frequencies in bodies follow the same law. Most conversations end with my
// reply, a few percent wait for one; some people have a second, merged row
// (their LID), tags, notes, cadences and reminders.
//
// Everything is set-based SQL (INSERT ... SELECT over generate_series) in a
// few statements, with the messages indexes dropped during the load and
// rebuilt after, then VACUUM ANALYZE. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"
#include "store/pg/pg_connection.h"

namespace wacrm::bench {

struct GeneratorOptions {
  double scale = 1.0;            // 0.001: 1,000 messages, 5 people, 1 group
  std::string account = "bench";
  double seed = 0.42;            // setseed() argument, in [-1, 1]
};

struct GeneratorReport {
  std::int64_t account_id = 0;
  std::int64_t people = 0;
  std::int64_t groups = 0;
  std::int64_t messages = 0;
  double seconds = 0;
};

// The schema must be in place (migrations applied).
Result<GeneratorReport> generate_crm_data(store::PgConnection& conn, const GeneratorOptions& options);

}  // namespace wacrm::bench
