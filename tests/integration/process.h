// Child processes for integration tests: the real wacrmd and wacrmctl
// binaries, output to files, optional uid switch, waits with timeouts.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wacrm::testing {

struct ProcessOptions {
  std::vector<std::string> argv;
  std::vector<std::string> env;        // extra NAME=value entries
  std::string stdout_file = "/dev/null";
  std::string stderr_file = "/dev/null";
  std::optional<uid_t> uid;            // drop to this uid/gid (and no supplementary groups)
  std::optional<gid_t> gid;
};

class Process {
 public:
  // Throws std::runtime_error when fork fails; an exec failure shows as exit 127.
  static Process spawn(const ProcessOptions& options);
  // Takes over a child forked elsewhere (e.g. by forkpty).
  static Process adopt(pid_t pid) { return Process(pid); }

  Process(Process&& other) noexcept : pid_(other.pid_), status_(other.status_) { other.pid_ = 0; }
  Process& operator=(Process&&) = delete;
  // Kills (SIGKILL) and reaps a child still running.
  ~Process();

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // The exit code (or 128 + signal) once it exits; nullopt at the timeout.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  bool running();

 private:
  explicit Process(pid_t pid) : pid_(pid) {}
  pid_t pid_ = 0;
  std::optional<int> status_;
};

std::string read_file(const std::string& path);

// Polls condition every 20 ms until it holds (true) or the timeout passes (false).
template <class F>
bool eventually(F condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    struct timespec ts{0, 20'000'000};
    nanosleep(&ts, nullptr);
  }
  return true;
}

}  // namespace wacrm::testing
