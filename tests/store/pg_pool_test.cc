#include "store/pg/pg_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

#include "support/test_database.h"

namespace wacrm::store {
namespace {

using namespace std::chrono_literals;

std::vector<PgConnection> connections(const testing::TestDatabase& db, int n) {
  std::vector<PgConnection> out;
  for (int i = 0; i < n; ++i) out.push_back(db.connect());
  return out;
}

// Waits for a future with a bound, so a broken pool fails the test instead of hanging it.
template <class T>
T get_within(std::future<T>& f, std::chrono::seconds limit = 30s) {
  if (f.wait_for(limit) != std::future_status::ready) throw std::runtime_error("job did not run in time");
  return f.get();
}

TEST(PgPool, OneThreadRunsJobsInSubmissionOrder) {
  testing::TestDatabase db;
  PgPool pool(connections(db, 1));
  std::vector<int> order;
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(pool.submit([&order, i](PgConnection& conn) {
      auto r = conn.exec("SELECT $1::int", {pg_int(i)});
      order.push_back(r ? static_cast<int>(r->int64(0, 0)) : -1);
    }));
  pool.shutdown();
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
}

TEST(PgPool, ThreadsUseTheirOwnConnectionsConcurrently) {
  testing::TestDatabase db;
  PgPool pool(connections(db, 2));
  EXPECT_EQ(pool.threads(), 2);
  // Each job waits until both are running: only possible on two threads.
  std::mutex m;
  std::condition_variable cv;
  int running = 0;
  std::set<std::int64_t> backends;
  std::promise<void> both_done_1, both_done_2;
  auto job = [&](std::promise<void>& done) {
    return [&](PgConnection& conn) {
      std::unique_lock lock(m);
      ++running;
      cv.notify_all();
      bool met = cv.wait_for(lock, 30s, [&] { return running == 2; });
      if (met) {
        if (auto r = conn.exec("SELECT pg_backend_pid()")) backends.insert(r->int64(0, 0));
      }
      done.set_value();
    };
  };
  ASSERT_TRUE(pool.submit(job(both_done_1)));
  ASSERT_TRUE(pool.submit(job(both_done_2)));
  auto f1 = both_done_1.get_future(), f2 = both_done_2.get_future();
  get_within(f1);
  get_within(f2);
  EXPECT_EQ(backends.size(), 2u);
}

TEST(PgPool, ShutdownRunsQueuedJobsThenRefusesNewOnes) {
  testing::TestDatabase db;
  PgPool pool(connections(db, 2));
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(pool.submit([&](PgConnection& conn) {
      if (conn.exec("SELECT 1")) ++ran;
    }));
  pool.shutdown();
  EXPECT_EQ(ran.load(), 100);
  EXPECT_FALSE(pool.submit([&](PgConnection&) { ++ran; }));
  pool.shutdown();  // idempotent
  EXPECT_EQ(ran.load(), 100);
}

TEST(PgPool, TheQueueIsBounded) {
  testing::TestDatabase db;
  PgPool pool(connections(db, 1), /*max_queue=*/2);
  std::promise<void> release, started;
  auto release_future = release.get_future().share();
  ASSERT_TRUE(pool.submit([&, release_future](PgConnection&) {
    started.set_value();
    release_future.wait_for(30s);
  }));
  auto started_future = started.get_future();
  get_within(started_future);  // the worker holds the first job; the queue is empty
  EXPECT_TRUE(pool.submit([](PgConnection&) {}));
  EXPECT_TRUE(pool.submit([](PgConnection&) {}));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_FALSE(pool.submit([](PgConnection&) {}));
  release.set_value();
  pool.shutdown();
  EXPECT_EQ(pool.queued(), 0u);
}

TEST(PgPool, AWorkerReconnectsAfterItsConnectionBroke) {
  testing::TestDatabase db;
  PgPool pool(connections(db, 1));
  auto run = [&](auto body) {
    std::promise<decltype(body(std::declval<PgConnection&>()))> result;
    auto f = result.get_future();
    EXPECT_TRUE(pool.submit([&](PgConnection& conn) { result.set_value(body(conn)); }));
    return get_within(f);
  };
  auto backend = [](PgConnection& conn) -> std::int64_t {
    auto r = conn.exec("SELECT pg_backend_pid()");
    return r ? r->int64(0, 0) : -1;
  };
  std::int64_t first = run(backend);
  ASSERT_GT(first, 0);
  // Kill the worker's server process from outside, waiting until it is gone.
  auto admin = db.connect();
  ASSERT_TRUE(admin.exec("SELECT pg_terminate_backend($1::int, 10000)", {pg_int(first)}));
  // The next job finds out the hard way...
  Errc code = run([](PgConnection& conn) {
    auto r = conn.exec("SELECT 1");
    return r ? Errc::internal : r.error().code;
  });
  EXPECT_EQ(code, Errc::unavailable);
  // ...and the one after it gets a fresh session, set up like a new one.
  std::int64_t second = run(backend);
  EXPECT_GT(second, 0);
  EXPECT_NE(second, first);
  EXPECT_EQ(run([](PgConnection& conn) {
              auto r = conn.exec("SHOW TimeZone");
              return r ? std::string(r->text(0, 0)) : r.error().to_string();
            }),
            "UTC");
}

TEST(PgPool, AThrowingJobOrALeftOpenTransactionDoesNotPoisonTheWorker) {
  testing::TestDatabase db;
  PgPool pool(connections(db, 1));
  ASSERT_TRUE(pool.submit([](PgConnection&) { throw std::runtime_error("bug in a job"); }));
  ASSERT_TRUE(pool.submit([](PgConnection& conn) {
    (void)conn.exec("BEGIN");
    (void)conn.exec("CREATE TABLE leaked (x int)");
  }));
  std::promise<std::pair<bool, bool>> seen;
  ASSERT_TRUE(pool.submit([&](PgConnection& conn) {
    auto r = conn.exec("SELECT to_regclass('leaked') IS NULL");
    seen.set_value({conn.in_transaction(), r && r->boolean(0, 0)});
  }));
  auto f = seen.get_future();
  auto [in_transaction, table_gone] = get_within(f);
  EXPECT_FALSE(in_transaction);
  EXPECT_TRUE(table_gone);
}

TEST(PgPool, OpenConnectsEveryThreadOrFails) {
  testing::TestDatabase db;
  auto pool = PgPool::open(db.conninfo(), {.threads = 3});
  ASSERT_TRUE(pool) << pool.error().to_string();
  EXPECT_EQ((*pool)->threads(), 3);
  auto bad = PgPool::open("host=/nonexistent-wacrm-socket-dir user=postgres");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace wacrm::store
