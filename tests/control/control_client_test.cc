// ControlClient::connect against plain Unix sockets (no daemon): what a
// wacrmctl sees when nothing listens, and when the daemon's listen backlog is
// full (the daemon alive but busy).
#include "control/control_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace wacrm::control {
namespace {

using namespace std::chrono_literals;

class ControlClientConnect : public ::testing::Test {
 protected:
  void TearDown() override {
    for (int fd : fds_) ::close(fd);
  }

  int track(int fd) {
    fds_.push_back(fd);
    return fd;
  }

  sockaddr_un address() const {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
    return addr;
  }

  // A listening socket that accepts nothing until the test does.
  int listen_with_backlog(int backlog) {
    int fd = track(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto addr = address();
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0) << std::strerror(errno);
    EXPECT_EQ(::listen(fd, backlog), 0) << std::strerror(errno);
    return fd;
  }

  // Connects raw sockets until the kernel refuses one (EAGAIN): the backlog is full.
  void fill_backlog() {
    for (int i = 0; i < 64; ++i) {
      int fd = track(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
      auto addr = address();
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        ASSERT_EQ(errno, EAGAIN) << std::strerror(errno);
        return;
      }
    }
    FAIL() << "the listen backlog never filled up";
  }

  wacrm::testing::TempDir dir_{"wacrm-client-test"};
  std::string path_ = (dir_.path() / "test.sock").string();
  std::vector<int> fds_;
};

TEST_F(ControlClientConnect, NoSocketFileIsUnavailable) {
  auto client = ControlClient::connect(path_, 1s);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, Errc::unavailable) << client.error().to_string();
}

// A full backlog must not yield a "connected" client whose first request then
// fails with "not connected": the client waits, and reports a timeout.
TEST_F(ControlClientConnect, AFullBacklogThatNeverDrainsIsATimeout) {
  listen_with_backlog(0);
  fill_backlog();
  auto client = ControlClient::connect(path_, 300ms);
  ASSERT_FALSE(client) << "connect() claimed a connection the daemon never accepted";
  EXPECT_EQ(client.error().code, Errc::timeout) << client.error().to_string();
}

TEST_F(ControlClientConnect, AFullBacklogThatDrainsConnects) {
  int listener = listen_with_backlog(0);
  fill_backlog();
  // The "daemon" catches up: it accepts everything that is waiting, ours included.
  std::vector<int> accepted;  // kept open until TearDown
  std::thread daemon([&] {
    for (int i = 0; i < 2; ++i) {
      pollfd pfd{listener, POLLIN, 0};
      if (::poll(&pfd, 1, 10'000) <= 0) return;  // nobody came: the assertions below say so
      int fd = ::accept(listener, nullptr, nullptr);
      if (fd >= 0) accepted.push_back(fd);
    }
  });
  auto client = ControlClient::connect(path_, 10s);
  daemon.join();
  for (int fd : accepted) track(fd);
  ASSERT_TRUE(client) << client.error().to_string();
  // Connected for real: the kernel knows a peer.
  sockaddr_un peer{};
  socklen_t len = sizeof(peer);
  EXPECT_EQ(::getpeername(client->fd(), reinterpret_cast<sockaddr*>(&peer), &len), 0) << std::strerror(errno);
}

}  // namespace
}  // namespace wacrm::control
