#include "store/pg/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

namespace wacrm::store {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ChildProcess, PassesTheEnvironmentWithoutPostgresOrSystemdVariables) {
  testing::TempDir dir;
  ::setenv("WACRM_CHILD_TEST", "kept", 1);
  ::setenv("PGPORT", "1", 1);
  ::setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
  ::setenv("LISTEN_FDS", "1", 1);
  int fd = ::open((dir.path() / "out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ChildOptions options{.program = "/usr/bin/env", .working_dir = dir.path(), .output_fd = fd};
  auto pid = spawn_child(options);
  ::close(fd);
  ::unsetenv("PGPORT");
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("LISTEN_FDS");
  ASSERT_TRUE(pid) << pid.error().to_string();
  auto status = wait_child(*pid, 30s);
  ASSERT_TRUE(status);
  EXPECT_EQ(describe_wait_status(*status), "exited with status 0");
  std::string env = read_all(dir.path() / "out");
  EXPECT_THAT(env, HasSubstr("WACRM_CHILD_TEST=kept"));
  EXPECT_THAT(env, Not(HasSubstr("PGPORT=")));
  EXPECT_THAT(env, Not(HasSubstr("NOTIFY_SOCKET=")));
  EXPECT_THAT(env, Not(HasSubstr("LISTEN_FDS=")));
}

TEST(ChildProcess, AProgramThatCannotRunIsAnErrorNotAChild) {
  auto pid = spawn_child({.program = "/nonexistent/wacrm-program"});
  ASSERT_FALSE(pid);
  EXPECT_THAT(pid.error().message, HasSubstr("/nonexistent/wacrm-program"));
  EXPECT_THAT(pid.error().message, HasSubstr("execute"));
}

TEST(ChildProcess, ReportsExitStatusAndSignals) {
  auto failing = spawn_child({.program = "/bin/sh", .args = {"-c", "exit 3"}});
  ASSERT_TRUE(failing);
  auto status = wait_child(*failing, 30s);
  ASSERT_TRUE(status);
  EXPECT_EQ(describe_wait_status(*status), "exited with status 3");

  auto sleeper = spawn_child({.program = "/bin/sleep", .args = {"60"}});
  ASSERT_TRUE(sleeper);
  EXPECT_FALSE(wait_child(*sleeper, 0ms));  // still running
  ::kill(*sleeper, SIGKILL);
  status = wait_child(*sleeper, 30s);
  ASSERT_TRUE(status);
  EXPECT_EQ(describe_wait_status(*status), "killed by signal 9");
}

TEST(ChildProcess, LooksUpUsers) {
  auto root = lookup_user("root");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->uid, 0u);
  auto missing = lookup_user("no-such-wacrm-user");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

}  // namespace
}  // namespace wacrm::store
