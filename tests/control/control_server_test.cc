// ControlServer over a real Unix socket, with test methods instead of the
// daemon's (no database): framing errors, timeouts, draining, socket file.
#include "control/control_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "control/control_client.h"
#include "control/daemon.pb.h"
#include "control/envelope.pb.h"
#include "control/method_table.h"
#include "support/temp_dir.h"

namespace wacrm::control {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ControlServerTest : public ::testing::Test {
 protected:
  // Runs f on the loop thread and returns its result.
  template <class F>
  auto on_loop(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }

  void SetUp() override {
    methods_.add({"echo", "echo", true, [](Call call) {
                    MethodInfo info;
                    info.set_name(call.payload);
                    call.reply.ok(info);
                  }});
    methods_.add({"hold", "answers when the test says", true, [this](Call call) {
                    std::lock_guard lock(mutex_);
                    held_.push_back(call.reply);
                  }});
    methods_.add({"count", "streams 1..3, then a final answer", true, [](Call call) {
                    // From another thread, as a pool job would.
                    std::thread([reply = call.reply] {
                      for (int i = 1; i <= 3; ++i) {
                        MethodInfo part;
                        part.set_name(std::to_string(i));
                        reply.more(part);
                      }
                      reply.ok_bytes("");
                    }).detach();
                  }});
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    on_loop([this] { server_.reset(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }

  Status start(ControlServerOptions options = {}) {
    options.socket_path = socket_;
    options.group = "no-such-group-wacrm-test";
    options.on_warning = [this](const std::string& m) {
      std::lock_guard lock(mutex_);
      warnings_ += m + "\n";
    };
    return on_loop([&] {
      server_ = std::make_unique<ControlServer>(io_, methods_, options);
      return server_->start();
    });
  }

  ControlClient connect() {
    auto client = ControlClient::connect(socket_.string(), 5s);
    EXPECT_TRUE(client) << client.error().to_string();
    return std::move(*client);
  }

  Result<Response> call(ControlClient& client, const std::string& method, const std::string& payload = {}) {
    Request request;
    request.set_method(method);
    request.set_payload(payload);
    Response response;
    WACRM_TRY(client.call(request, response, 5s));
    return response;
  }

  // True when the peer closed the connection within the timeout.
  static bool closed_by_peer(int fd) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 5000) <= 0) return false;
    char byte;
    return ::recv(fd, &byte, 1, 0) == 0;
  }

  std::string warnings() {
    std::lock_guard lock(mutex_);
    return warnings_;
  }
  std::size_t held() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }
  void release_all() {
    std::lock_guard lock(mutex_);
    for (auto& r : held_) r.ok();
    held_.clear();
  }
  void wait_until(const std::function<bool()>& condition) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!condition()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "condition not met within 10s";
      std::this_thread::sleep_for(10ms);
    }
  }

  wacrm::testing::TempDir dir_{"wacrm-ctl-test"};
  fs::path socket_ = dir_.path() / "sub" / "test.sock";
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread thread_;
  MethodTable methods_;
  std::unique_ptr<ControlServer> server_;
  std::mutex mutex_;
  std::string warnings_;
  std::vector<Responder> held_;
};

TEST_F(ControlServerTest, AnswersRequestsAndMakesTheSocketGroupOnly) {
  ASSERT_TRUE(start());
  struct stat st{};
  ASSERT_EQ(::stat(socket_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  ASSERT_EQ(::stat(socket_.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);  // created by the server

  auto client = connect();
  for (int i = 0; i < 3; ++i) {  // several exchanges on one connection
    auto response = call(client, "echo", "hello " + std::to_string(i));
    ASSERT_TRUE(response) << response.error().to_string();
    ASSERT_EQ(response->status(), STATUS_OK);
    MethodInfo info;
    ASSERT_TRUE(info.ParseFromString(response->payload()));
    EXPECT_EQ(info.name(), "hello " + std::to_string(i));
  }
}

TEST_F(ControlServerTest, StreamsPartialAnswersInOrderThenTheFinalOne) {
  ASSERT_TRUE(start());
  auto client = connect();
  Request request;
  request.set_method("count");
  Response response;
  ASSERT_TRUE(client.call(request, response, 5s));
  std::vector<std::string> parts;
  while (response.more()) {
    MethodInfo part;
    ASSERT_TRUE(part.ParseFromString(response.payload()));
    parts.push_back(part.name());
    ASSERT_TRUE(client.read_more(request.id(), response, 5s));
  }
  EXPECT_EQ(parts, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(response.status(), STATUS_OK);
  // The stream counted as one request, finished once its last answer is written.
  wait_until([&] { return on_loop([&] { return server_->in_flight(); }) == 0; });
  EXPECT_TRUE(call(client, "echo"));
}

TEST_F(ControlServerTest, AMalformedFrameClosesOnlyThatConnection) {
  ASSERT_TRUE(start());
  auto good = connect();
  ASSERT_TRUE(call(good, "echo"));
  auto bad = connect();
  ASSERT_TRUE(bad.send_bytes(std::string("\x00\x00\x00\x04\xff\xff\xff\xff", 8), 5s));
  EXPECT_TRUE(closed_by_peer(bad.fd()));
  auto response = call(good, "echo", "still here");
  ASSERT_TRUE(response) << response.error().to_string();
  EXPECT_EQ(response->status(), STATUS_OK);
  EXPECT_NE(warnings().find("not a wacrm.control.Frame"), std::string::npos) << warnings();
}

TEST_F(ControlServerTest, AnOversizedFrameIsRefusedFromItsHeader) {
  ControlServerOptions options;
  options.max_frame_size = 4096;
  ASSERT_TRUE(start(options));
  auto bad = connect();
  ASSERT_TRUE(bad.send_bytes(std::string("\x00\x10\x00\x00", 4), 5s));  // 1 MiB announced
  EXPECT_TRUE(closed_by_peer(bad.fd()));
  EXPECT_NE(warnings().find("the limit is 4096"), std::string::npos) << warnings();
  auto good = connect();
  EXPECT_TRUE(call(good, "echo"));
}

TEST_F(ControlServerTest, AHalfSentFrameTimesOut) {
  ControlServerOptions options;
  options.read_timeout = 200ms;
  ASSERT_TRUE(start(options));
  auto slow = connect();
  ASSERT_TRUE(slow.send_bytes(std::string("\x00\x00", 2), 5s));
  EXPECT_TRUE(closed_by_peer(slow.fd()));
  EXPECT_NE(warnings().find("not completed"), std::string::npos) << warnings();
}

// A frame trickling in a byte at a time must still be complete within the
// read timeout of its first byte: each byte does not buy another timeout.
TEST_F(ControlServerTest, ATricklingFrameTimesOutToo) {
  ControlServerOptions options;
  options.read_timeout = 300ms;
  ASSERT_TRUE(start(options));
  auto slow = connect();
  const std::string frame_start("\x00\x00\x04\x00", 4);  // announces 1 KiB that never comes in full
  // Closed by the server: sending fails, or reading gives EOF (or ECONNRESET,
  // when the close found bytes it had not read yet).
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {  // a byte every 100 ms, for at most 10 s
    const std::string byte = i < 4 ? frame_start.substr(static_cast<std::size_t>(i), 1) : std::string("x");
    if (!slow.send_bytes(byte, 1s)) {
      closed = true;
      break;
    }
    pollfd pfd{slow.fd(), POLLIN, 0};
    char c;
    if (::poll(&pfd, 1, 100) > 0) closed = ::recv(slow.fd(), &c, 1, 0) <= 0;
  }
  EXPECT_TRUE(closed) << "still open after 100 bytes, 10 s";
  EXPECT_NE(warnings().find("not completed"), std::string::npos) << warnings();
}

TEST_F(ControlServerTest, ClientsMaySendOnlyRequests) {
  ASSERT_TRUE(start());
  auto bad = connect();
  Frame frame;
  frame.mutable_response()->set_id(1);
  ASSERT_TRUE(bad.send_bytes(*FrameCodec().encode(frame), 5s));
  EXPECT_TRUE(closed_by_peer(bad.fd()));
  EXPECT_NE(warnings().find("only send requests"), std::string::npos) << warnings();
}

TEST_F(ControlServerTest, DrainingLetsRequestsInFlightFinish) {
  ASSERT_TRUE(start());
  auto client = connect();
  auto answer = std::async(std::launch::async, [&] { return call(client, "hold"); });
  wait_until([&] { return held() == 1; });

  on_loop([&] { server_->stop_accepting(); });
  EXPECT_FALSE(fs::exists(socket_));
  EXPECT_FALSE(ControlClient::connect(socket_.string(), 1s));

  std::promise<std::size_t> drained;
  on_loop([&] { server_->drain(10s, [&](std::size_t unfinished) { drained.set_value(unfinished); }); });
  auto drained_future = drained.get_future();
  EXPECT_EQ(drained_future.wait_for(100ms), std::future_status::timeout);  // still waiting for "hold"

  release_all();
  auto response = answer.get();
  ASSERT_TRUE(response) << response.error().to_string();
  EXPECT_EQ(response->status(), STATUS_OK);
  ASSERT_EQ(drained_future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(drained_future.get(), 0u);
}

TEST_F(ControlServerTest, DrainingGivesUpAtTheDeadline) {
  ASSERT_TRUE(start());
  auto client = connect();
  auto answer = std::async(std::launch::async, [&] { return call(client, "hold"); });
  wait_until([&] { return held() == 1; });
  std::promise<std::size_t> drained;
  on_loop([&] {
    server_->stop_accepting();
    server_->drain(100ms, [&](std::size_t unfinished) { drained.set_value(unfinished); });
  });
  auto drained_future = drained.get_future();
  ASSERT_EQ(drained_future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(drained_future.get(), 1u);
  EXPECT_FALSE(answer.get());  // the connection was closed under it
  release_all();
}

// Out of file descriptors, accept() fails at once for as long as that lasts:
// the server says so once and keeps retrying at a slow pace until it can
// accept again (instead of spinning the loop).
TEST_F(ControlServerTest, AcceptFailuresAreReportedAndRetried) {
  ASSERT_TRUE(start());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_.c_str(), sizeof(addr.sun_path) - 1);

  // Every descriptor below the lowest free one is in use, so a limit at that
  // number makes the next accept() fail with EMFILE.
  int lowest_free = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(lowest_free, 0);
  ::close(lowest_free);
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(lowest_free);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &tight), 0);
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  const int connect_errno = errno;
  wait_until([&] { return warnings().find("accepting a control connection failed") != std::string::npos; });
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
  ::close(fd);
  ASSERT_TRUE(connected) << std::strerror(connect_errno);
  EXPECT_NE(warnings().find("Too many open files"), std::string::npos) << warnings();

  auto client = connect();  // served again once descriptors are there
  EXPECT_TRUE(call(client, "echo"));
}

TEST_F(ControlServerTest, ReplacesAStaleSocketFile) {
  fs::create_directories(socket_.parent_path());
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ::close(fd);  // the file stays, nobody listens: what a crash leaves behind
  ASSERT_TRUE(fs::exists(socket_));
  auto started = start();
  ASSERT_TRUE(started) << started.error().to_string();
  auto client = connect();
  EXPECT_TRUE(call(client, "echo"));
}

TEST_F(ControlServerTest, RefusesToStealALiveSocket) {
  ASSERT_TRUE(start());
  ControlServerOptions options;
  options.socket_path = socket_;
  auto second = on_loop([&] {
    ControlServer other(io_, methods_, options);
    return other.start();
  });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::already_exists);
  auto client = connect();  // the first one still serves
  EXPECT_TRUE(call(client, "echo"));
}

}  // namespace
}  // namespace wacrm::control
