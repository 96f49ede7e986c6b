// Starting and stopping the PostgreSQL programs (initdb, postgres) that
// EmbeddedPostgres runs: fork + exec, optionally as another user, with output
// to a log file. Internal to lib/store/pg.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"

namespace wacrm::store {

struct UserIdentity {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Errc::not_found when there is no such user.
Result<UserIdentity> lookup_user(const std::string& name);
UserIdentity current_user();

struct ChildOptions {
  std::filesystem::path program;
  std::vector<std::string> args;            // without argv[0]
  std::filesystem::path working_dir;
  int output_fd = -1;                       // becomes stdout and stderr; stdin is /dev/null
  // Switch to this user (groups: just its primary group) before exec; only
  // root can. Unset = stay who we are.
  std::optional<UserIdentity> run_as;
  // Own session and process group, so a terminal's Ctrl-C reaches only us.
  bool new_session = true;
  // Deliver this signal to the child when the thread that spawned it dies,
  // so a crashed daemon does not leave the server running. 0 = none.
  int parent_death_signal = 0;
};

// Returns the child's pid once exec succeeded; an error naming the program
// and the step (setuid, chdir, exec...) that failed otherwise. The child gets
// our environment minus PG* variables (they would override the explicit
// arguments) and systemd's NOTIFY_SOCKET, WATCHDOG_* and LISTEN_* (meant for
// wacrmd alone).
Result<pid_t> spawn_child(const ChildOptions& options);

// Waits up to timeout for the child to exit and reaps it. The wait status
// (as from waitpid), or nullopt if still running. A child already reaped by
// someone else counts as exited (status 0).
std::optional<int> wait_child(pid_t pid, std::chrono::milliseconds timeout);

// "exited with status 1", "killed by signal 9".
std::string describe_wait_status(int status);

}  // namespace wacrm::store
