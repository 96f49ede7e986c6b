// The real wacrmd and wacrmctl binaries, driven through the real socket,
// against the test PostgreSQL (external mode) and once in embedded mode.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "control/control_client.h"
#include "integration/process.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace wacrm::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

struct CtlRun {
  int code = -1;
  std::string out;
  std::string err;
};

// The newest migration number in the source tree: the schema version a
// freshly migrated database reports.
int newest_migration() {
  int newest = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / "migrations")) {
    auto name = entry.path().filename().string();
    if (entry.path().extension() == ".sql") newest = std::max(newest, std::atoi(name.c_str()));
  }
  return newest;
}

class WacrmdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wacrm-it-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // World-traversable: the unprivileged PostgreSQL and the 'nobody' client need to get in.
    fs::permissions(dir_, fs::perms(0755));
    socket_ = dir_ / "wacrmd.sock";
    // A copy of wacrmctl that 'nobody' can execute whatever the build tree's permissions.
    ctl_ = dir_ / "wacrmctl";
    fs::copy_file(fs::path(binary_dir()) / "ctl" / "wacrmctl", ctl_);
    fs::permissions(ctl_, fs::perms(0755));
  }

  void TearDown() override {
    if (daemon_) {
      daemon_->signal(SIGTERM);
      daemon_->wait_for(60s);
      daemon_.reset();
    }
    if (HasFailure()) std::cerr << "---- wacrmd log ----\n" << all_logs() << "--------------------\n";
    fs::remove_all(dir_);
  }

  // Writes the config file: the test's paths, then `extra` (INI text, sections allowed).
  void write_config(const std::string& database_url, const std::string& extra = {}) {
    std::ofstream out(dir_ / "wacrmd.conf");
    out << "state-dir = " << (dir_ / "state").string() << "\n"
        << "migrations-dir = " << (fs::path(source_dir()) / "migrations").string() << "\n"
        << "[database]\nurl = " << database_url << "\n"
        << "[control]\nsocket = " << socket_.string() << "\n"
        << extra;
  }

  // Starts wacrmd on the config file and waits until its socket answers.
  void start_daemon(std::vector<std::string> env = {}) {
    log_ = (dir_ / ("wacrmd-" + std::to_string(++starts_) + ".log")).string();
    ProcessOptions options;
    options.argv = {(fs::path(binary_dir()) / "daemon" / "wacrmd").string(), "--config",
                    (dir_ / "wacrmd.conf").string()};
    options.env = std::move(env);
    options.stderr_file = log_;
    daemon_ = std::make_unique<Process>(Process::spawn(options));
    bool up = eventually([&] { return fs::exists(socket_) || !daemon_->running(); }, 120s);
    ASSERT_TRUE(up) << "wacrmd did not listen within 120s";
    ASSERT_TRUE(daemon_->running()) << "wacrmd exited early";
  }

  // SIGTERM, then the exit code.
  int stop_daemon() {
    daemon_->signal(SIGTERM);
    auto code = daemon_->wait_for(60s);
    daemon_.reset();
    return code.value_or(-1);
  }

  CtlRun ctl(std::vector<std::string> args, std::optional<uid_t> uid = std::nullopt) {
    auto out = (dir_ / "ctl.out").string();
    auto err = (dir_ / "ctl.err").string();
    ProcessOptions options;
    options.argv = {ctl_.string(), "--socket", socket_.string()};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.stdout_file = out;
    options.stderr_file = err;
    if (uid) {
      options.uid = *uid;
      options.gid = kNogroup;
    }
    auto process = Process::spawn(options);
    auto code = process.wait_for(30s);
    EXPECT_TRUE(code) << "wacrmctl did not finish within 30s";
    return {code.value_or(-1), read_file(out), read_file(err)};
  }

  std::string log() const { return read_file(log_); }
  std::string all_logs() const {
    std::string text;
    for (int i = 1; i <= starts_; ++i) text += read_file((dir_ / ("wacrmd-" + std::to_string(i) + ".log")).string());
    return text;
  }

  fs::path dir_;
  fs::path socket_;
  fs::path ctl_;
  std::string log_;
  int starts_ = 0;
  std::unique_ptr<Process> daemon_;
};

TEST_F(WacrmdTest, ManagesAccountsOnAnExternalDatabase) {
  TestDatabase db;
  write_config(db.conninfo());
  start_daemon();

  auto status = ctl({"status"});
  EXPECT_EQ(status.code, 0) << status.err;
  EXPECT_NE(status.out.find("Database: external, reachable"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("schema version " + std::to_string(newest_migration())), std::string::npos)
      << status.out;

  auto added = ctl({"account", "add", "alice"});
  EXPECT_EQ(added.code, 0) << added.err;
  EXPECT_EQ(added.out, "Added account 'alice'.\n");
  auto again = ctl({"account", "add", "alice"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  auto bad = ctl({"account", "add", "no spaces"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("'no spaces'"), std::string::npos) << bad.err;

  auto list = ctl({"account", "list"});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("NAME "), std::string::npos);
  EXPECT_NE(list.out.find("alice  unlinked"), std::string::npos) << list.out;
  auto json = ctl({"--json", "account", "list"});
  EXPECT_EQ(json.code, 0);
  EXPECT_NE(json.out.find("\"name\": \"alice\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"link_state\": \"LINK_STATE_UNLINKED\""), std::string::npos) << json.out;

  // Not a terminal and no --yes: refused with what would go.
  auto refused = ctl({"account", "remove", "alice"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("would delete 0 messages"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--yes"), std::string::npos);
  EXPECT_NE(ctl({"account", "list"}).out.find("alice"), std::string::npos) << "removed without confirmation";

  auto removed = ctl({"account", "remove", "alice", "--yes"});
  EXPECT_EQ(removed.code, 0) << removed.err;
  EXPECT_NE(removed.out.find("Removed account 'alice'"), std::string::npos);
  EXPECT_EQ(ctl({"account", "list"}).out.find("alice"), std::string::npos);
  auto gone = ctl({"account", "remove", "alice", "--yes"});
  EXPECT_EQ(gone.code, 1);
  EXPECT_NE(gone.err.find("alice"), std::string::npos) << gone.err;

  EXPECT_EQ(stop_daemon(), 0);
  EXPECT_FALSE(fs::exists(socket_));
}

// On a terminal, "account remove" without --yes shows what would go and asks.
TEST_F(WacrmdTest, AccountRemoveAsksOnATerminal) {
  TestDatabase db;
  write_config(db.conninfo());
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "dora"}).code, 0);
  ASSERT_EQ(ctl({"account", "add", "erin"}).code, 0);

  // Runs `wacrmctl account remove NAME` on a pseudo-terminal, answers `reply`.
  auto remove_on_tty = [&](const std::string& name, const std::string& reply, std::string& screen) {
    int master = -1;
    pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid == 0) {
      ::execl(ctl_.c_str(), ctl_.c_str(), "--socket", socket_.c_str(), "account", "remove", name.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    Process child = Process::adopt(pid);
    auto read_some = [&] {
      pollfd pfd{master, POLLIN, 0};
      if (::poll(&pfd, 1, 100) <= 0) return;
      char buf[1024];
      ssize_t n = ::read(master, buf, sizeof(buf));
      if (n > 0) screen.append(buf, static_cast<std::size_t>(n));
    };
    bool asked = eventually([&] { read_some(); return screen.find("[y/N]") != std::string::npos; }, 30s);
    if (asked) (void)!::write(master, reply.data(), reply.size());
    auto code = child.wait_for(30s);
    read_some();
    ::close(master);
    return asked ? code.value_or(-1) : -2;
  };

  std::string screen;
  EXPECT_EQ(remove_on_tty("dora", "n\n", screen), 1) << screen;
  EXPECT_NE(screen.find("would delete 0 messages"), std::string::npos) << screen;
  EXPECT_NE(screen.find("Remove account 'dora'?"), std::string::npos) << screen;
  EXPECT_NE(ctl({"account", "list"}).out.find("dora"), std::string::npos) << "removed although declined";

  screen.clear();
  EXPECT_EQ(remove_on_tty("erin", "y\n", screen), 0) << screen;
  EXPECT_NE(screen.find("Removed account 'erin'"), std::string::npos) << screen;
  EXPECT_EQ(ctl({"account", "list"}).out.find("erin"), std::string::npos);
}

TEST_F(WacrmdTest, KeepsDataAcrossARestart) {
  TestDatabase db;
  write_config(db.conninfo());
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "bob"}).code, 0);
  ASSERT_EQ(stop_daemon(), 0);
  start_daemon();
  auto list = ctl({"account", "list"});
  EXPECT_EQ(list.code, 0);
  EXPECT_NE(list.out.find("bob"), std::string::npos) << list.out;
  EXPECT_NE(log().find("schema is at version"), std::string::npos);  // nothing re-applied
  EXPECT_EQ(log().find("Applied"), std::string::npos) << log();
}

TEST_F(WacrmdTest, RefusesPeersOutsideTheControlGroup) {
  TestDatabase db;
  write_config(db.conninfo());
  start_daemon();

  // File permissions come first: 0660 root:root keeps 'nobody' out entirely.
  auto blocked = ctl({"status"}, kNobody);
  EXPECT_EQ(blocked.code, 4);
  EXPECT_NE(blocked.err.find("permission denied"), std::string::npos) << blocked.err;

  // With the file opened up, SO_PEERCRED still refuses: uid 65534 is not root nor in group wacrm.
  ASSERT_EQ(::chmod(socket_.c_str(), 0666), 0);
  auto refused = ctl({"status"}, kNobody);
  EXPECT_EQ(refused.code, 4);
  EXPECT_NE(refused.err.find("'status' needs administrator rights"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("uid 65534 (nobody) is neither root nor a member of group 'wacrm'"), std::string::npos)
      << refused.err;
  EXPECT_EQ(ctl({"account", "add", "mallory"}, kNobody).code, 4);
  EXPECT_EQ(ctl({"account", "list"}).out.find("mallory"), std::string::npos);

  // "help" is open to everyone who can reach the socket.
  auto help = ctl({"help"}, kNobody);
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("account.add"), std::string::npos);
}

TEST_F(WacrmdTest, BrokenFramesCloseOnlyTheirConnection) {
  TestDatabase db;
  write_config(db.conninfo(), "max-frame-size = 4096\n");
  start_daemon();

  auto closed = [](control::ControlClient& client) {
    char byte;
    // The daemon closes: recv returns 0 (EOF). SO_RCVTIMEO bounds the wait.
    timeval tv{10, 0};
    ::setsockopt(client.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int flags = 0;
    return ::recv(client.fd(), &byte, 1, flags) == 0;
  };

  auto garbage = control::ControlClient::connect(socket_.string(), 5s);
  ASSERT_TRUE(garbage);
  ::fcntl(garbage->fd(), F_SETFL, 0);  // blocking, for the bounded recv above
  ASSERT_TRUE(garbage->send_bytes(std::string("\x00\x00\x00\x05\xff\xff\xff\xff\xff", 9), 5s));
  EXPECT_TRUE(closed(*garbage));

  auto huge = control::ControlClient::connect(socket_.string(), 5s);
  ASSERT_TRUE(huge);
  ::fcntl(huge->fd(), F_SETFL, 0);
  ASSERT_TRUE(huge->send_bytes(std::string("\x7f\x00\x00\x00", 4), 5s));  // ~2 GiB announced
  EXPECT_TRUE(closed(*huge));

  auto status = ctl({"status"});
  EXPECT_EQ(status.code, 0) << status.err;
  EXPECT_TRUE(daemon_->running());
  EXPECT_NE(log().find("not a wacrm.control.Frame"), std::string::npos) << log();
  EXPECT_NE(log().find("the limit is 4096"), std::string::npos) << log();
}

TEST_F(WacrmdTest, SigtermFinishesTheRequestInFlightThenExitsCleanly) {
  TestDatabase db;
  write_config(db.conninfo(), "shutdown-timeout = 60\n");
  start_daemon();

  // Hold the accounts table so "account add" blocks inside the daemon.
  auto locker = db.connect();
  ASSERT_TRUE(locker.exec("BEGIN"));
  ASSERT_TRUE(locker.exec("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE"));

  ProcessOptions options;
  options.argv = {ctl_.string(), "--socket", socket_.string(), "--timeout", "60", "account", "add", "carol"};
  options.stdout_file = (dir_ / "carol.out").string();
  options.stderr_file = (dir_ / "carol.err").string();
  Process add = Process::spawn(options);

  auto watcher = db.connect();
  bool waiting = eventually(
      [&] {
        auto r = watcher.exec(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE 'INSERT INTO accounts%'");
        return r && r->int64(0, 0) > 0;
      },
      30s);
  ASSERT_TRUE(waiting) << "the daemon never blocked on the lock";

  daemon_->signal(SIGTERM);
  // It stops accepting at once (socket file gone) but keeps serving the request.
  EXPECT_TRUE(eventually([&] { return !fs::exists(socket_); }, 30s));
  EXPECT_TRUE(daemon_->running());
  ASSERT_TRUE(locker.exec("COMMIT"));

  auto add_code = add.wait_for(60s);
  ASSERT_TRUE(add_code);
  EXPECT_EQ(*add_code, 0) << read_file((dir_ / "carol.err").string());
  EXPECT_EQ(read_file((dir_ / "carol.out").string()), "Added account 'carol'.\n");
  auto exit_code = daemon_->wait_for(60s);
  ASSERT_TRUE(exit_code) << "wacrmd did not exit";
  EXPECT_EQ(*exit_code, 0);
  daemon_.reset();
  EXPECT_FALSE(fs::exists(socket_));
  auto rows = watcher.exec("SELECT count(*) FROM accounts WHERE name = 'carol'");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->int64(0, 0), 1);
}

TEST_F(WacrmdTest, RunsItsOwnEmbeddedPostgres) {
  write_config("");
  start_daemon();
  auto status = ctl({"status"});
  EXPECT_EQ(status.code, 0) << status.err;
  EXPECT_NE(status.out.find("Database: embedded, reachable"), std::string::npos) << status.out;
  ASSERT_EQ(ctl({"account", "add", "emb"}).code, 0);
  EXPECT_EQ(stop_daemon(), 0);
  EXPECT_FALSE(fs::exists(socket_));
  // The embedded server stopped with it.
  EXPECT_FALSE(fs::exists(dir_ / "state" / "postgres" / "data" / "postmaster.pid"));

  start_daemon();
  auto list = ctl({"account", "list"});
  EXPECT_NE(list.out.find("emb"), std::string::npos) << list.out;
  EXPECT_EQ(stop_daemon(), 0);
}

TEST_F(WacrmdTest, WaitsForAnUnreachableDatabaseInsteadOfExiting) {
  write_config("host=" + (dir_ / "no-server").string() + " dbname=wacrm user=postgres connect_timeout=2");
  log_ = (dir_ / "wacrmd-1.log").string();
  starts_ = 1;
  ProcessOptions options;
  options.argv = {(fs::path(binary_dir()) / "daemon" / "wacrmd").string(), "--config",
                  (dir_ / "wacrmd.conf").string()};
  options.stderr_file = log_;
  daemon_ = std::make_unique<Process>(Process::spawn(options));
  EXPECT_TRUE(eventually([&] { return log().find("retrying in") != std::string::npos; }, 30s)) << log();
  EXPECT_TRUE(daemon_->running());
  auto status = ctl({"status"});
  EXPECT_EQ(status.code, 3);
  EXPECT_NE(status.err.find("Start it with: systemctl start wacrmd"), std::string::npos);
  EXPECT_EQ(stop_daemon(), 0);
}

TEST_F(WacrmdTest, TalksToSystemd) {
  TestDatabase db;
  write_config(db.conninfo());
  // A stand-in for systemd's notification socket.
  auto notify_path = dir_ / "notify.sock";
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, notify_path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  timeval tv{0, 100'000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

  std::string received;
  auto receive_until = [&](const std::string& wanted) {
    return eventually(
        [&] {
          char buf[4096];
          ssize_t n;
          while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) received += std::string(buf, n) + "\n";
          return received.find(wanted) != std::string::npos;
        },
        30s);
  };

  start_daemon({"NOTIFY_SOCKET=" + notify_path.string(), "WATCHDOG_USEC=400000"});
  EXPECT_TRUE(receive_until("READY=1")) << received;
  EXPECT_NE(received.find("STATUS=Waiting for database"), std::string::npos) << received;
  EXPECT_NE(received.find("STATUS=Ready: 0 account(s)"), std::string::npos) << received;
  EXPECT_TRUE(receive_until("WATCHDOG=1")) << received;
  daemon_->signal(SIGTERM);
  EXPECT_TRUE(receive_until("STOPPING=1")) << received;
  EXPECT_EQ(daemon_->wait_for(60s).value_or(-1), 0);
  daemon_.reset();
  ::close(fd);
}

TEST_F(WacrmdTest, SighupReloadsTheLogLevel) {
  TestDatabase db;
  write_config(db.conninfo(), "[log]\nlevel = info\n");
  start_daemon();
  write_config(db.conninfo(), "[log]\nlevel = debug\n");
  daemon_->signal(SIGHUP);
  EXPECT_TRUE(eventually([&] { return log().find("Log level is now 'debug'") != std::string::npos; }, 30s)) << log();
  EXPECT_TRUE(daemon_->running());
  EXPECT_EQ(ctl({"status"}).code, 0);
}

TEST_F(WacrmdTest, ABadConfigFileExitsTwoNamingTheLine) {
  write_config("", "[log]\nlevel = info\nvolume = 11\n");
  ProcessOptions options;
  options.argv = {(fs::path(binary_dir()) / "daemon" / "wacrmd").string(), "--config",
                  (dir_ / "wacrmd.conf").string()};
  options.stderr_file = (dir_ / "bad.log").string();
  auto process = Process::spawn(options);
  EXPECT_EQ(process.wait_for(30s).value_or(-1), 2);
  auto err = read_file((dir_ / "bad.log").string());
  EXPECT_NE(err.find((dir_ / "wacrmd.conf").string() + ":9: unknown option 'log.volume'"), std::string::npos) << err;
}

}  // namespace
}  // namespace wacrm::testing
