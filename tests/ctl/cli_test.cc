// wacrmctl's command line without a daemon: usage errors, help, and the
// message when nothing listens.
#include "cli.h"

#include <sstream>

#include <gtest/gtest.h>

#include "exit_codes.h"

namespace wacrm::ctl {
namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> args) {
  args.insert(args.begin(), "wacrmctl");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

TEST(Cli, HelpListsCommandsAndExitCodes) {
  auto r = run({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (auto word : {"status", "account add NAME", "account list", "account remove NAME", "--socket", "--json",
                    "--timeout", "Exit status", "4  permission denied"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
}

TEST(Cli, EachCommandHasItsOwnHelp) {
  auto r = run({"account", "remove", "--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("Usage: wacrmctl [GLOBAL OPTIONS] account remove [OPTIONS] NAME"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--yes"), std::string::npos);
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run({}).code, kExitUsage);
  auto unknown = run({"frobnicate"});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos);
  auto missing = run({"account", "add"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_NE(missing.err.find("expected NAME"), std::string::npos) << missing.err;
  EXPECT_EQ(run({"account", "add", "a", "b"}).code, kExitUsage);
  EXPECT_EQ(run({"account", "list", "--yes"}).code, kExitUsage);
  EXPECT_EQ(run({"--timeout", "0", "status"}).code, kExitUsage);
}

// Seconds are turned into milliseconds; values that do not fit must be
// refused, not overflow (the socket below does not exist, so a value that
// got through would end in "not running" instead).
TEST(Cli, TimeoutsThatAreNotAReasonableNumberOfSecondsAreUsageErrors) {
  for (const char* bad : {"inf", "nan", "1e300", "86401"}) {
    auto r = run({"--socket", "/tmp/wacrm-no-such-dir/wacrmd.sock", "--timeout", bad, "status"});
    EXPECT_EQ(r.code, kExitUsage) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--timeout"), std::string::npos) << bad << ": " << r.err;
  }
  EXPECT_EQ(run({"--socket", "/tmp/wacrm-no-such-dir/wacrmd.sock", "--timeout", "0.5", "status"}).code,
            kExitUnreachable);
}

TEST(Cli, SaysHowToStartTheDaemonWhenItIsNotRunning) {
  auto r = run({"--socket", "/tmp/wacrm-no-such-dir/wacrmd.sock", "status"});
  EXPECT_EQ(r.code, kExitUnreachable);
  EXPECT_EQ(r.err,
            "wacrmd is not running (no socket at /tmp/wacrm-no-such-dir/wacrmd.sock). "
            "Start it with: systemctl start wacrmd\n");
}

}  // namespace
}  // namespace wacrm::ctl
