#include "store/pg/migrator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/temp_dir.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace wacrm::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

bool table_exists(PgConnection& conn, const std::string& table) {
  auto r = conn.exec("SELECT to_regclass($1) IS NOT NULL", {pg_text(table)});
  return r && r->boolean(0, 0);
}

TEST(ListMigrations, OrdersByVersionAndIgnoresOtherFiles) {
  testing::TempDir dir;
  dir.write("002_second.sql", "");
  dir.write("001_first.sql", "");
  dir.write("README", "not a migration");
  auto files = list_migrations(dir.path());
  ASSERT_TRUE(files) << files.error().to_string();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].version, 1);
  EXPECT_EQ((*files)[0].name, "first");
  EXPECT_EQ((*files)[1].version, 2);
  EXPECT_EQ((*files)[1].path, dir.path() / "002_second.sql");
}

TEST(ListMigrations, RejectsBadNamesDuplicatesAndGaps) {
  struct Case {
    std::vector<std::string> files;
    std::string expected;  // part of the message
  };
  for (const auto& c : std::vector<Case>{
           {{"01_short.sql"}, "01_short.sql"},
           {{"001-dash.sql"}, "001-dash.sql"},
           {{"001_.sql"}, "001_.sql"},
           {{"001_has space.sql"}, "001_has space.sql"},
           {{"001_a.sql", "0001_b.sql"}, "same number 1"},
           {{"001_a.sql", "003_c.sql"}, "skip version 2"},
           {{"002_b.sql"}, "skip version 1"},
       }) {
    testing::TempDir dir;
    for (const auto& f : c.files) dir.write(f, "");
    auto files = list_migrations(dir.path());
    ASSERT_FALSE(files) << c.expected;
    EXPECT_EQ(files.error().code, Errc::invalid_argument);
    EXPECT_THAT(files.error().message, HasSubstr(c.expected));
  }
}

TEST(ListMigrations, MissingDirectoryIsNotFound) {
  auto files = list_migrations("/nonexistent-wacrm-migrations");
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, Errc::not_found);
  EXPECT_THAT(files.error().message, HasSubstr("/nonexistent-wacrm-migrations"));
}

// A migrations directory and a fresh database for each test.
class MigrateTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  testing::TestDatabase db_;
  PgConnection conn_ = db_.connect();
};

TEST_F(MigrateTest, FreshDatabaseGetsEverythingAndRerunIsANoOp) {
  dir_.write("001_a.sql", "CREATE TABLE a (x int);");
  dir_.write("002_b.sql", "CREATE TABLE b (y int); INSERT INTO b VALUES (1);");
  EXPECT_EQ(schema_version(conn_).value(), 0);

  auto first = migrate(conn_, dir_.path());
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_THAT(first->applied, ElementsAre(1, 2));
  EXPECT_EQ(first->current_version, 2);
  EXPECT_TRUE(table_exists(conn_, "a"));
  EXPECT_TRUE(table_exists(conn_, "b"));
  EXPECT_EQ(schema_version(conn_).value(), 2);
  auto names = conn_.exec("SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM schema_migrations");
  ASSERT_TRUE(names);
  EXPECT_EQ(names->text(0, 0), "1:a,2:b");

  auto again = migrate(conn_, dir_.path());
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_THAT(again->applied, IsEmpty());
  EXPECT_EQ(again->current_version, 2);
  EXPECT_EQ(conn_.exec("SELECT count(*) FROM b")->int64(0, 0), 1);  // 002 did not run twice
}

TEST_F(MigrateTest, AppliesOnlyWhatIsNew) {
  dir_.write("001_a.sql", "CREATE TABLE a (x int);");
  ASSERT_TRUE(migrate(conn_, dir_.path()));
  dir_.write("002_b.sql", "ALTER TABLE a ADD COLUMN y int;");
  auto report = migrate(conn_, dir_.path());
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_THAT(report->applied, ElementsAre(2));
  EXPECT_EQ(report->current_version, 2);
}

TEST_F(MigrateTest, RefusesADatabaseNewerThanItsFiles) {
  testing::TempDir older;
  dir_.write("001_a.sql", "CREATE TABLE a (x int);");
  dir_.write("002_b.sql", "CREATE TABLE b (x int);");
  older.write("001_a.sql", "CREATE TABLE a (x int);");
  ASSERT_TRUE(migrate(conn_, dir_.path()));
  auto report = migrate(conn_, older.path());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, Errc::conflict);
  EXPECT_EQ(report.error().message,
            "database schema version 2 is newer than this wacrmd knows (1); upgrade wacrm");
  EXPECT_EQ(schema_version(conn_).value(), 2);
}

TEST_F(MigrateTest, AFailingMigrationLeavesNothingBehind) {
  dir_.write("001_a.sql", "CREATE TABLE a (x int);");
  dir_.write("002_bad.sql", "CREATE TABLE b (y int); SELECT no_such_function();");
  auto report = migrate(conn_, dir_.path());
  ASSERT_FALSE(report);
  EXPECT_THAT(report.error().message, HasSubstr("002_bad.sql"));
  EXPECT_THAT(report.error().message, HasSubstr("no_such_function"));
  // The whole run was one transaction: not even 001 or schema_migrations stayed.
  EXPECT_FALSE(table_exists(conn_, "a"));
  EXPECT_FALSE(table_exists(conn_, "b"));
  EXPECT_EQ(schema_version(conn_).value(), 0);
  // And the connection is usable afterwards.
  EXPECT_TRUE(conn_.exec("SELECT 1"));
}

TEST_F(MigrateTest, AFailureAfterEarlierRunsKeepsTheEarlierVersion) {
  dir_.write("001_a.sql", "CREATE TABLE a (x int);");
  ASSERT_TRUE(migrate(conn_, dir_.path()));
  dir_.write("002_bad.sql", "ALTER TABLE a ADD COLUMN y int; ALTER TABLE missing ADD COLUMN z int;");
  ASSERT_FALSE(migrate(conn_, dir_.path()));
  EXPECT_EQ(schema_version(conn_).value(), 1);
  auto columns = conn_.exec("SELECT count(*) FROM information_schema.columns WHERE table_name = 'a'");
  EXPECT_EQ(columns->int64(0, 0), 1);  // 002's first statement was rolled back
}

TEST_F(MigrateTest, TwoConcurrentMigratorsApplyEachMigrationOnce) {
  // Slow enough that the second migrator arrives while the first holds the lock.
  dir_.write("001_a.sql", "CREATE TABLE a (x int); SELECT pg_sleep(0.5);");
  dir_.write("002_b.sql", "INSERT INTO a VALUES (1);");
  PgConnection& conn1 = conn_;
  auto conn2 = db_.connect();
  Result<MigrationReport> r1, r2;
  std::thread t1([&] { r1 = migrate(conn1, dir_.path()); });
  std::thread t2([&] { r2 = migrate(conn2, dir_.path()); });
  t1.join();
  t2.join();
  ASSERT_TRUE(r1) << r1.error().to_string();
  ASSERT_TRUE(r2) << r2.error().to_string();
  EXPECT_EQ(r1->current_version, 2);
  EXPECT_EQ(r2->current_version, 2);
  // One of them did all the work, the other found it done.
  std::vector<int> all = r1->applied;
  all.insert(all.end(), r2->applied.begin(), r2->applied.end());
  EXPECT_THAT(all, ElementsAre(1, 2));
  EXPECT_TRUE(r1->applied.empty() || r2->applied.empty());
  EXPECT_EQ(conn1.exec("SELECT count(*) FROM a")->int64(0, 0), 1);
}

TEST_F(MigrateTest, TheRepositoryMigrationsApplyAndCreateEveryTableOf001) {
  namespace fs = std::filesystem;
  fs::path migrations = fs::path(testing::source_dir()) / "migrations";
  auto report = migrate(conn_, migrations);
  ASSERT_TRUE(report) << report.error().to_string();
  auto files = list_migrations(migrations).value();
  EXPECT_EQ(report->applied.size(), files.size());
  EXPECT_EQ(report->current_version, files.back().version);

  std::ifstream in(migrations / "001_initial.sql");
  std::stringstream sql;
  sql << in.rdbuf();
  std::string text = sql.str();
  std::regex create_table(R"(CREATE TABLE (\w+))");
  std::vector<std::string> tables;
  for (std::sregex_iterator it(text.begin(), text.end(), create_table), end; it != end; ++it)
    tables.push_back((*it)[1]);
  EXPECT_GE(tables.size(), 17u);  // accounts ... reminders
  EXPECT_THAT(tables, ::testing::Contains("accounts"));
  for (const auto& table : tables) EXPECT_TRUE(table_exists(conn_, table)) << table;
  EXPECT_TRUE(table_exists(conn_, "schema_migrations"));
}

}  // namespace
}  // namespace wacrm::store
