// The CRM generator at 1/1000 scale and one run of every benchmark query:
// the tools keep working as the schema and queries change. No figures are
// judged here.
#include <gtest/gtest.h>

#include <sstream>

#include "bench/crm_data_generator.h"
#include "bench/crm_query_bench.h"
#include "support/test_database.h"

namespace wacrm::bench {
namespace {

TEST(CrmBenchSmoke, GeneratesAndRunsEveryQueryOnce) {
  testing::TestDatabase db;
  db.apply_schema();
  auto conn = db.connect();
  auto report = generate_crm_data(conn, {.scale = 0.001});
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->people, 5);
  EXPECT_EQ(report->groups, 1);
  EXPECT_GE(report->messages, 1000);   // plus the closing replies
  auto twice = generate_crm_data(conn, {.scale = 0.001, .account = "second"});
  ASSERT_TRUE(twice) << twice.error().to_string();

  auto bench = run_crm_bench(conn, {.iterations = 1, .export_runs = 1});
  ASSERT_TRUE(bench) << bench.error().to_string();
  EXPECT_EQ(bench->latencies.size(), 7u);
  ASSERT_EQ(bench->exports.size(), 4u);
  EXPECT_GT(bench->exports[0].messages, 0);
  std::ostringstream out;
  print_report(*bench, out);
  EXPECT_NE(out.str().find("search, two words"), std::string::npos);
}

}  // namespace
}  // namespace wacrm::bench
