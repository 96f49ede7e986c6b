// Starts real PostgreSQL servers in temporary state directories. Needs the
// server binaries, and root (the server then runs as 'wacrm' or 'postgres')
// or an ordinary user (it then runs as that user).
#include "store/pg/embedded_postgres.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "store/pg/child_process.h"
#include "store/pg/pg_connection.h"
#include "support/temp_dir.h"

namespace wacrm::store {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Processes whose working directory is the data directory: the postmaster
// and every backend it forked.
std::vector<pid_t> processes_in(const fs::path& dir) {
  std::vector<pid_t> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec;
    if (fs::read_symlink(entry.path() / "cwd", ec) == dir && !ec) found.push_back(std::stoi(name));
  }
  return found;
}

// One state directory for the suite: initdb runs once, each test starts and
// stops a server on it. 0755 so the unprivileged server user gets through.
class EmbeddedPostgresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { state_ = new testing::TempDir("wacrm-epg", 0755); }
  static void TearDownTestSuite() {
    delete state_;
    state_ = nullptr;
  }

  static EmbeddedPostgres::Options options() {
    EmbeddedPostgres::Options o;
    o.state_dir = state_->path();
    o.startup_timeout = std::chrono::seconds(120);
    return o;
  }

  static EmbeddedPostgres start_ok() {
    auto server = EmbeddedPostgres::start(options());
    if (!server) throw std::runtime_error("start failed: " + server.error().to_string());
    return std::move(*server);
  }

  static testing::TempDir* state_;
};
testing::TempDir* EmbeddedPostgresTest::state_ = nullptr;

TEST_F(EmbeddedPostgresTest, KeepsDataAcrossRestarts) {
  {
    auto server = start_ok();
    EXPECT_TRUE(server.running());
    EXPECT_THAT(server.conninfo(), HasSubstr("dbname='wacrm'"));
    auto conn = PgConnection::connect(server.conninfo());
    ASSERT_TRUE(conn) << conn.error().to_string();
    ASSERT_TRUE(conn->exec("CREATE TABLE kept (x text)"));
    ASSERT_TRUE(conn->exec("INSERT INTO kept VALUES ('still here')"));
    auto stopped = server.stop();
    EXPECT_TRUE(stopped) << stopped.error().to_string();
    EXPECT_FALSE(server.running());
  }
  auto server = start_ok();
  auto conn = PgConnection::connect(server.conninfo());
  ASSERT_TRUE(conn) << conn.error().to_string();
  auto r = conn->exec("SELECT x FROM kept");
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->rows(), 1);
  EXPECT_EQ(r->text(0, 0), "still here");
}

TEST_F(EmbeddedPostgresTest, ListensOnlyOnItsPrivateSocket) {
  auto server = start_ok();
  auto conn = PgConnection::connect(server.conninfo());
  ASSERT_TRUE(conn) << conn.error().to_string();
  auto r = conn->exec("SELECT current_setting('listen_addresses'), current_setting('unix_socket_directories'), "
                      "pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = current_database()");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->text(0, 0), "");
  EXPECT_EQ(fs::path(std::string(r->text(0, 1))), server.socket_dir());
  EXPECT_EQ(r->text(0, 2), "UTF8");
  EXPECT_EQ(r->text(0, 3), "C.UTF-8");
  EXPECT_EQ(server.socket_dir(), state_->path() / "postgres");
  EXPECT_TRUE(fs::exists(server.socket_dir() / ".s.PGSQL.5432"));
  struct stat st {};
  ASSERT_EQ(stat(server.socket_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // As root: owned by the unprivileged server user, never root.
  if (geteuid() == 0) {
    EXPECT_NE(st.st_uid, 0u);
  }
}

TEST_F(EmbeddedPostgresTest, ASecondServerOnTheSameDirectoryFailsClearly) {
  auto first = start_ok();
  auto second = EmbeddedPostgres::start(options());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::already_exists);
  EXPECT_THAT(second.error().message, HasSubstr("already running"));
  EXPECT_THAT(second.error().message, HasSubstr(first.data_dir().string()));
  EXPECT_THAT(second.error().message, HasSubstr(std::to_string(first.pid())));
  // The first one is unharmed.
  EXPECT_TRUE(PgConnection::connect(first.conninfo()));
}

TEST_F(EmbeddedPostgresTest, StopLeavesNoProcessBehind) {
  auto server = start_ok();
  pid_t pid = server.pid();
  // Open a client so a backend process exists too.
  auto conn = PgConnection::connect(server.conninfo());
  ASSERT_TRUE(conn);
  EXPECT_THAT(processes_in(server.data_dir()), ::testing::Contains(pid));
  ASSERT_TRUE(server.stop());
  EXPECT_EQ(server.pid(), 0);
  EXPECT_EQ(kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_THAT(processes_in(server.data_dir()), ::testing::IsEmpty());
  EXPECT_FALSE(fs::exists(server.data_dir() / "postmaster.pid"));
  EXPECT_TRUE(server.stop());  // idempotent
}

TEST_F(EmbeddedPostgresTest, AStalePidFileFromACrashDoesNotBlockStart) {
  fs::path pg_dir = state_->path() / "postgres";
  fs::path data = pg_dir / "data";
  start_ok().stop().value();
  // As after a power loss: postmaster.pid names a pid that now belongs to an
  // unrelated live process of the server's own user. PostgreSQL alone refuses
  // to start then ("lock file already exists").
  struct stat st {};
  ASSERT_EQ(stat(pg_dir.c_str(), &st), 0);
  ChildOptions sleeper;
  sleeper.program = "/bin/sleep";
  sleeper.args = {"120"};
  if (geteuid() == 0) sleeper.run_as = UserIdentity{"server user", st.st_uid, st.st_gid};
  auto other = spawn_child(sleeper);
  ASSERT_TRUE(other) << other.error().to_string();
  {
    std::ofstream pid_file(data / "postmaster.pid");
    pid_file << *other << "\n" << data.string() << "\n1700000000\n5432\n" << pg_dir.string() << "\n";
  }
  auto server = EmbeddedPostgres::start(options());
  kill(*other, SIGKILL);
  (void)wait_child(*other, std::chrono::seconds(10));
  ASSERT_TRUE(server) << server.error().to_string();
  EXPECT_TRUE(PgConnection::connect(server->conninfo()));
}

TEST_F(EmbeddedPostgresTest, AServerThatCannotStartReportsItsLog) {
  auto o = options();
  o.settings = {{"shared_buffers", "not-a-size"}};
  auto server = EmbeddedPostgres::start(o);
  ASSERT_FALSE(server);
  EXPECT_THAT(server.error().message, HasSubstr("server.log"));
  EXPECT_THAT(server.error().message, HasSubstr("shared_buffers"));
  EXPECT_THAT(processes_in(state_->path() / "postgres" / "data"), ::testing::IsEmpty());
}

TEST(EmbeddedPostgres, ExplainsAnUnusableConfiguration) {
  EmbeddedPostgres::Options o;
  testing::TempDir dir("wacrm-epg", 0755);
  o.state_dir = dir.path();
  o.pg_bindir = dir.path();  // no postgres programs here
  auto r = EmbeddedPostgres::start(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::not_found);
  EXPECT_THAT(r.error().message, HasSubstr(dir.path().string()));

  o.pg_bindir.reset();
  o.database = "bad name";
  r = EmbeddedPostgres::start(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
}

TEST(EmbeddedPostgres, AsRootRefusesAStateDirectoryTheServerUserCannotReach) {
  if (geteuid() != 0) GTEST_SKIP() << "only root switches to another user";
  testing::TempDir locked("wacrm-epg", 0700);  // root-only
  EmbeddedPostgres::Options o;
  o.state_dir = locked.path() / "state";
  auto r = EmbeddedPostgres::start(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::permission_denied);
  EXPECT_THAT(r.error().message, HasSubstr(locked.path().string()));
  EXPECT_THAT(r.error().message, HasSubstr("not searchable"));
}

}  // namespace
}  // namespace wacrm::store
