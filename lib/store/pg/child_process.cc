#include "store/pg/child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace wacrm::store {

namespace {

// What the child reports through the pipe when it cannot exec: which step
// failed and its errno.
enum class ChildStep : int { dup_output, open_null, chdir, setsid, setgroups, setgid, setuid, deathsig, exec };

std::string_view step_name(ChildStep step) {
  switch (step) {
    case ChildStep::dup_output: return "redirect output";
    case ChildStep::open_null: return "open /dev/null";
    case ChildStep::chdir: return "change directory";
    case ChildStep::setsid: return "start a session";
    case ChildStep::setgroups: return "set groups";
    case ChildStep::setgid: return "set group id";
    case ChildStep::setuid: return "set user id";
    case ChildStep::deathsig: return "set parent-death signal";
    case ChildStep::exec: return "execute";
  }
  return "start";
}

struct ChildFailure {
  ChildStep step;
  int error;
};

// Between fork and exec only async-signal-safe calls are allowed (the daemon
// is multi-threaded): everything is prepared in the parent, and failures are
// written to report_fd as a ChildFailure.
[[noreturn]] void exec_child(const ChildOptions& options, char* const* argv, char* const* envp, int report_fd,
                             pid_t parent) {
  auto fail = [report_fd](ChildStep step) {
    ChildFailure failure{step, errno};
    (void)!write(report_fd, &failure, sizeof failure);
    _exit(127);
  };
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2}) signal(sig, SIG_DFL);

  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0) fail(ChildStep::open_null);
  if (options.output_fd >= 0) {
    if (dup2(options.output_fd, STDOUT_FILENO) < 0 || dup2(options.output_fd, STDERR_FILENO) < 0)
      fail(ChildStep::dup_output);
  }
  // Descriptors the daemon opened without O_CLOEXEC (sockets, files) must not
  // live on in the server. Best effort: kernels before 5.11 lack the flag.
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  if (options.new_session && setsid() < 0) fail(ChildStep::setsid);
  if (options.run_as) {
    gid_t gid = options.run_as->gid;
    if (setgroups(1, &gid) < 0) fail(ChildStep::setgroups);
    if (setgid(gid) < 0) fail(ChildStep::setgid);
    if (setuid(options.run_as->uid) < 0) fail(ChildStep::setuid);
  }
  if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) < 0) fail(ChildStep::chdir);
  // After setuid, which clears the parent-death signal.
  if (options.parent_death_signal != 0) {
    if (prctl(PR_SET_PDEATHSIG, options.parent_death_signal) < 0) fail(ChildStep::deathsig);
    if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
  }
  execve(argv[0], argv, envp);
  fail(ChildStep::exec);
  _exit(127);
}

// Variables the child must not see: PG* would override its explicit
// arguments; systemd's are meant for wacrmd alone (PostgreSQL built with
// systemd support would otherwise report READY=1 for our unit, and a socket-
// activated or watchdog-supervised daemon's settings do not apply to it).
bool is_private_variable(const char* entry) {
  std::string_view e(entry);
  if (e.starts_with("PG")) return true;
  for (std::string_view name : {"NOTIFY_SOCKET=", "WATCHDOG_USEC=", "WATCHDOG_PID=", "LISTEN_FDS=", "LISTEN_PID=",
                                "LISTEN_FDNAMES="})
    if (e.starts_with(name)) return true;
  return false;
}

}  // namespace

Result<UserIdentity> lookup_user(const std::string& name) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  int rc = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0) return make_error(Errc::internal, fmt::format("cannot look up user '{}': {}", name, std::strerror(rc)));
  if (!found) return make_error(Errc::not_found, fmt::format("no user named '{}'", name));
  return UserIdentity{name, entry.pw_uid, entry.pw_gid};
}

UserIdentity current_user() {
  UserIdentity me{"", geteuid(), getegid()};
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(me.uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found) me.name = entry.pw_name;
  return me;
}

Result<pid_t> spawn_child(const ChildOptions& options) {
  std::vector<std::string> arg_storage;
  arg_storage.push_back(options.program.string());
  arg_storage.insert(arg_storage.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& arg : arg_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; e && *e; ++e)
    if (!is_private_variable(*e)) envp.push_back(*e);
  envp.push_back(nullptr);

  int report[2];
  if (pipe2(report, O_CLOEXEC) < 0)
    return make_error(Errc::internal, fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int error = errno;
    close(report[0]);
    close(report[1]);
    return make_error(Errc::internal,
                      fmt::format("cannot fork to run '{}': {}", options.program.string(), std::strerror(error)));
  }
  if (pid == 0) {
    close(report[0]);
    exec_child(options, argv.data(), envp.data(), report[1], parent);
  }
  close(report[1]);
  // exec closes the write end (CLOEXEC): EOF means the program is running.
  ChildFailure failure{};
  ssize_t n;
  do {
    n = read(report[0], &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    (void)wait_child(pid, std::chrono::seconds(5));
    std::string as_user = options.run_as ? fmt::format(" as user '{}'", options.run_as->name) : "";
    return make_error(failure.error == EACCES || failure.error == EPERM ? Errc::permission_denied : Errc::internal,
                      fmt::format("cannot {} for '{}'{}: {}", step_name(failure.step), options.program.string(),
                                  as_user, std::strerror(failure.error)));
  }
  return pid;
}

std::optional<int> wait_child(pid_t pid, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;  // ECHILD: reaped elsewhere (SIGCHLD ignored)
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return fmt::format("ended with wait status {}", status);
}

}  // namespace wacrm::store
