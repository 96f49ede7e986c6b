#include "store/pg/pg_connect_retry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace wacrm::store {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

TEST(Backoff, DoublesUpToTheMaximumWithoutJitter) {
  RetryPolicy policy{.initial_delay = 500ms, .max_delay = 30s, .jitter = 0.0};
  Backoff backoff(policy);
  std::vector<long> delays;
  for (int i = 0; i < 9; ++i) delays.push_back(backoff.next().count());
  EXPECT_THAT(delays, ::testing::ElementsAre(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000));
  backoff.reset();
  EXPECT_EQ(backoff.next(), 500ms);
}

TEST(Backoff, JitterStaysWithinItsBand) {
  RetryPolicy policy{.initial_delay = 1000ms, .max_delay = 1000ms, .jitter = 0.2};
  Backoff backoff(policy);
  bool varied = false;
  milliseconds first = backoff.next();
  for (int i = 0; i < 200; ++i) {
    milliseconds d = backoff.next();
    EXPECT_GE(d, 800ms);
    EXPECT_LE(d, 1200ms);
    varied = varied || d != first;
  }
  EXPECT_TRUE(varied);
}

// A socket directory with no server in it: every attempt fails at once.
const std::string kNowhere = "host=/nonexistent-wacrm-socket-dir user=postgres dbname=postgres";

TEST(ConnectWithRetry, GivesUpAtTheDeadlineReportingEachFailure) {
  RetryPolicy policy{.initial_delay = 20ms, .max_delay = 40ms, .jitter = 0.0, .deadline = 300ms};
  std::vector<ConnectFailure> failures;
  auto conn = connect_with_retry(kNowhere, policy, [&](const ConnectFailure& f) { failures.push_back(f); });
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, Errc::timeout);
  EXPECT_THAT(conn.error().message, HasSubstr("nonexistent-wacrm-socket-dir"));
  ASSERT_GE(failures.size(), 2u);
  for (std::size_t i = 0; i < failures.size(); ++i) {
    EXPECT_EQ(failures[i].attempt, static_cast<int>(i) + 1);
    EXPECT_EQ(failures[i].error.code, Errc::unavailable);
  }
  EXPECT_EQ(failures.front().retry_in, 20ms);
  EXPECT_EQ(failures.back().retry_in, 0ms);  // the last report says no retry follows
}

TEST(ConnectWithRetry, StopsWhenAsked) {
  int attempts = 0;
  auto conn = connect_with_retry(
      kNowhere, RetryPolicy{.initial_delay = 10ms, .jitter = 0.0}, [&](const ConnectFailure&) { ++attempts; },
      [&] { return attempts >= 3; });
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, Errc::cancelled);
  EXPECT_EQ(attempts, 3);
}

TEST(ConnectWithRetry, AStopRequestInterruptsALongWait) {
  // Without polling the predicate during the wait this would sleep an hour
  // (and ctest's timeout would fail the test).
  bool failed_once = false;
  auto conn = connect_with_retry(
      kNowhere, RetryPolicy{.initial_delay = std::chrono::hours(1), .max_delay = std::chrono::hours(1)},
      [&](const ConnectFailure&) { failed_once = true; }, [&] { return failed_once; });
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, Errc::cancelled);
}

TEST(ConnectWithRetry, ConnectsOnceTheServerAppears) {
  testing::TestDatabase db;
  // The server "appears" when its socket shows up in the directory we dial.
  testing::TempDir dir;
  std::string conninfo = "host=" + dir.path().string() + " user=postgres dbname=" + db.name();
  std::vector<int> attempts;
  auto conn = connect_with_retry(conninfo, RetryPolicy{.initial_delay = 10ms, .jitter = 0.0, .deadline = 60s},
                                 [&](const ConnectFailure& f) {
                                   attempts.push_back(f.attempt);
                                   if (f.attempt == 2)
                                     std::filesystem::create_symlink(
                                         std::filesystem::path(testing::pg_host()) / ".s.PGSQL.5432",
                                         dir.path() / ".s.PGSQL.5432");
                                 });
  ASSERT_TRUE(conn) << conn.error().to_string();
  EXPECT_THAT(attempts, ::testing::ElementsAre(1, 2));
  auto r = conn->exec("SELECT current_database()");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text(0, 0), db.name());
}

TEST(ConnectWithRetry, AReachableServerNeedsNoRetry) {
  testing::TestDatabase db;
  int failures = 0;
  auto conn = connect_with_retry(db.conninfo(), {}, [&](const ConnectFailure&) { ++failures; });
  ASSERT_TRUE(conn) << conn.error().to_string();
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace wacrm::store
