#include "logging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

namespace wacrm::daemon {
namespace {

TEST(Logging, LevelsMapToSyslogPriorities) {
  EXPECT_EQ(syslog_priority(spdlog::level::trace), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::debug), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::info), 6);
  EXPECT_EQ(syslog_priority(spdlog::level::warn), 4);
  EXPECT_EQ(syslog_priority(spdlog::level::err), 3);
  EXPECT_EQ(syslog_priority(spdlog::level::critical), 2);
}

TEST(Logging, JournalIsDetectedOnlyWhenStderrIsTheAnnouncedStream) {
  struct stat st{};
  ASSERT_EQ(::fstat(STDERR_FILENO, &st), 0);
  const std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  ::setenv("JOURNAL_STREAM", mine.c_str(), 1);
  EXPECT_TRUE(stderr_is_journal());
  // Inherited by a process whose stderr was redirected elsewhere.
  const std::string other = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
  ::setenv("JOURNAL_STREAM", other.c_str(), 1);
  EXPECT_FALSE(stderr_is_journal());
  ::setenv("JOURNAL_STREAM", "garbage", 1);
  EXPECT_FALSE(stderr_is_journal());
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(stderr_is_journal());
}

TEST(Logging, LevelNamesAreChecked) {
  setup_logging(false, "info");
  EXPECT_TRUE(set_log_level("debug"));
  EXPECT_EQ(spdlog::get_level(), spdlog::level::debug);
  EXPECT_FALSE(set_log_level("loud"));
  EXPECT_EQ(spdlog::get_level(), spdlog::level::debug);
  EXPECT_TRUE(set_log_level("off"));
  EXPECT_EQ(spdlog::get_level(), spdlog::level::off);
}

}  // namespace
}  // namespace wacrm::daemon
