// The daemon's event stream end to end: a reminder falling due in a real
// wacrmd (due-check-interval 1s) reaches `wacrmctl events --json` and a raw
// events.subscribe client alike; the stream ends when wacrmd stops.
#include <signal.h>
#include <stdlib.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

#include "control/control_client.h"
#include "control/envelope.pb.h"
#include "control/events.pb.h"
#include "integration/process.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace wacrm::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wacrm-events-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    fs::permissions(dir_, fs::perms(0755));
    socket_ = (dir_ / "wacrmd.sock").string();
    std::ofstream(dir_ / "wacrmd.conf") << "state-dir = " << (dir_ / "state").string() << "\n"
                                        << "migrations-dir = " << (fs::path(source_dir()) / "migrations").string()
                                        << "\n[database]\nurl = " << db_.conninfo() << "\n"
                                        << "[control]\nsocket = " << socket_ << "\n"
                                        << "[crm]\ndue-check-interval = 1s\ntime-zone = UTC\n";
    ProcessOptions options;
    options.argv = {(fs::path(binary_dir()) / "daemon" / "wacrmd").string(), "--config",
                    (dir_ / "wacrmd.conf").string()};
    options.stderr_file = (dir_ / "wacrmd.log").string();
    daemon_ = std::make_unique<Process>(Process::spawn(options));
    ASSERT_TRUE(eventually([&] { return fs::exists(socket_) || !daemon_->running(); }, 120s));
    ASSERT_TRUE(daemon_->running()) << read_file((dir_ / "wacrmd.log").string());
  }

  void TearDown() override {
    if (daemon_) {
      daemon_->signal(SIGTERM);
      daemon_->wait_for(60s);
    }
    if (HasFailure()) std::cerr << "---- wacrmd log ----\n" << read_file((dir_ / "wacrmd.log").string());
    fs::remove_all(dir_);
  }

  ProcessOptions ctl_options(std::vector<std::string> args, const std::string& name) {
    ProcessOptions options;
    options.argv = {(fs::path(binary_dir()) / "ctl" / "wacrmctl").string(), "--socket", socket_};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.stdout_file = (dir_ / (name + ".out")).string();
    options.stderr_file = (dir_ / (name + ".err")).string();
    return options;
  }

  int ctl(std::vector<std::string> args) {
    auto process = Process::spawn(ctl_options(std::move(args), "ctl"));
    auto code = process.wait_for(30s);
    EXPECT_TRUE(code) << "wacrmctl did not finish within 30s";
    return code.value_or(-1);
  }

  std::string output(const std::string& name) { return read_file((dir_ / (name + ".out")).string()); }

  TestDatabase db_;
  fs::path dir_;
  std::string socket_;
  std::unique_ptr<Process> daemon_;
};

// Reads the next streamed event of `request_id`; false at the timeout or end.
bool next_event(control::ControlClient& client, std::uint64_t request_id, control::DaemonEvent& event) {
  control::Response response;
  if (!client.read_more(request_id, response, 30s)) return false;
  return response.status() == control::STATUS_OK && !response.payload().empty() &&
         event.ParseFromString(response.payload());
}

TEST_F(EventsTest, ADueReminderReachesEverySubscriberOnce) {
  ASSERT_EQ(ctl({"account", "add", "alice"}), 0);

  // A raw subscriber: once "events.subscribed" arrives, the stream is live.
  auto client = control::ControlClient::connect(socket_, 10s);
  ASSERT_TRUE(client) << client.error().message;
  control::Request request;
  request.set_method("events.subscribe");
  control::EventsSubscribeRequest subscribe;
  subscribe.set_account("alice");
  request.set_payload(subscribe.SerializeAsString());
  control::Response first;
  ASSERT_TRUE(client->call(request, first, 10s));
  ASSERT_EQ(first.status(), control::STATUS_OK) << first.error();
  ASSERT_TRUE(first.more());
  control::DaemonEvent subscribed;
  ASSERT_TRUE(subscribed.ParseFromString(first.payload()));
  EXPECT_EQ(subscribed.type(), "events.subscribed");

  // wacrmctl, as a script would run it.
  auto watcher = Process::spawn(ctl_options(
      {"--json", "events", "--account", "alice", "--type", "crm.reminder_due", "--once", "--wait", "90"},
      "events"));
  // The reminder falls due a few seconds from now; the daemon looks every second.
  ASSERT_EQ(ctl({"remind", "-", "--in", "4s", "call the plumber back"}), 0);

  control::DaemonEvent event;
  do {
    ASSERT_TRUE(next_event(*client, request.id(), event)) << "no event within 30s";
  } while (event.type() == "session.state");
  EXPECT_EQ(event.type(), "crm.reminder_due");
  EXPECT_EQ(event.account(), "alice");
  ASSERT_TRUE(event.has_crm() && event.crm().has_reminder_due());
  EXPECT_EQ(event.crm().reminder_due().text(), "call the plumber back");

  auto code = watcher.wait_for(60s);
  ASSERT_TRUE(code) << "wacrmctl events did not end after the event";
  EXPECT_EQ(*code, 0) << read_file((dir_ / "events.err").string());
  auto line = output("events");
  auto json = nlohmann::json::parse(line.substr(0, line.find('\n')));
  EXPECT_EQ(json["type"], "crm.reminder_due");
  EXPECT_EQ(json["account"], "alice");
  EXPECT_EQ(json["crm"]["reminder_due"]["text"], "call the plumber back");
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one event, one line: " << line;

  // Raised once: a later look finds nothing more (the reminder is marked).
  ASSERT_EQ(ctl({"--json", "events", "--type", "crm.reminder_due", "--once", "--wait", "3"}), 1);

  // wacrmd stopping ends the stream with a final answer, not a dropped connection.
  daemon_->signal(SIGTERM);
  control::Response last;
  Status read;
  do read = client->read_more(request.id(), last, 30s);
  while (read && last.more());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(last.status(), control::STATUS_OK);
  EXPECT_FALSE(last.more());
  EXPECT_EQ(daemon_->wait_for(60s), 0);
  daemon_.reset();
}

TEST_F(EventsTest, WacrmctlEventsTimesOutQuietlyAndRefusesBadInput) {
  EXPECT_EQ(ctl({"events", "--wait", "1"}), 0);
  EXPECT_EQ(ctl({"events", "--once", "--wait", "1"}), 1);
  EXPECT_EQ(ctl({"events", "--wait", "-3"}), 2);
  EXPECT_EQ(ctl({"events", "--account", "no spaces allowed", "--wait", "1"}), 1);
}

}  // namespace
}  // namespace wacrm::testing
