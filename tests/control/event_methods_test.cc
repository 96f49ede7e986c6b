// events.subscribe over a real Unix socket and ControlServer: a reader that
// falls behind loses the oldest events and is told how many; a client that
// goes away is unsubscribed; closing the hub ends the stream.
#include "control/event_methods.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <thread>

#include "control/control_client.h"
#include "control/control_server.h"
#include "control/envelope.pb.h"
#include "control/event_frames.h"
#include "control/events.pb.h"
#include "control/method_table.h"
#include "events/event_hub.h"
#include "support/temp_dir.h"

namespace wacrm::control {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class EventMethodsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    register_event_methods(methods_, hub_, io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
    ControlServerOptions options;
    options.socket_path = dir_.path() / "test.sock";
    options.group = "no-such-group-wacrm-test";
    std::promise<Status> started;
    asio::post(io_, [&] {
      server_ = std::make_unique<ControlServer>(io_, methods_, options);
      started.set_value(server_->start());
    });
    ASSERT_TRUE(started.get_future().get());
  }

  void TearDown() override {
    std::promise<void> done;
    asio::post(io_, [&] {
      server_.reset();
      done.set_value();
    });
    done.get_future().get();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  // Connects and subscribes; the request id for read_more.
  std::uint64_t subscribe(ControlClient& client) {
    Request request;
    request.set_method("events.subscribe");
    request.set_payload(EventsSubscribeRequest().SerializeAsString());
    Response first;
    EXPECT_TRUE(client.call(request, first, 5s));
    DaemonEvent subscribed;
    EXPECT_TRUE(subscribed.ParseFromString(first.payload()));
    EXPECT_EQ(subscribed.type(), "events.subscribed");
    return request.id();
  }

  ControlClient connect() {
    auto client = ControlClient::connect((dir_.path() / "test.sock").string(), 5s);
    EXPECT_TRUE(client) << client.error().to_string();
    return std::move(*client);
  }

  void wait_until(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!condition()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "condition not met within 10s";
      std::this_thread::sleep_for(10ms);
    }
  }

  wacrm::testing::TempDir dir_{"wacrm-events-test"};
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread thread_;
  events::EventHub hub_;
  MethodTable methods_;
  std::unique_ptr<ControlServer> server_;
};

TEST_F(EventMethodsTest, ASlowReaderLosesTheOldestAndIsToldHowMany) {
  auto client = connect();
  const auto id = subscribe(client);
  // Far more than the socket, the connection's queue and the subscription hold.
  constexpr int kEvents = 5000;
  for (int i = 0; i < kEvents; ++i) {
    DaemonEvent event = make_event("test.filler", "alice");
    event.mutable_message()->set_preview(std::string(1000, 'x'));
    event.mutable_message()->set_message_id(i);
    hub_.publish(hub_event(event));
  }
  std::uint64_t received = 0, dropped = 0;
  std::int64_t last_id = -1;
  while (received + dropped < kEvents) {
    Response response;
    ASSERT_TRUE(client.read_more(id, response, 10s)) << received << " received, " << dropped << " dropped";
    DaemonEvent event;
    ASSERT_TRUE(event.ParseFromString(response.payload()));
    if (event.type() == "events.dropped") {
      dropped += event.dropped().count();
      continue;
    }
    ++received;
    EXPECT_GT(event.message().message_id(), last_id);   // in order, the lost ones left out
    last_id = event.message().message_id();
  }
  EXPECT_EQ(received + dropped, static_cast<std::uint64_t>(kEvents));
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(last_id, kEvents - 1);   // the newest are the ones kept
}

TEST_F(EventMethodsTest, AClientThatGoesAwayIsUnsubscribed) {
  {
    auto client = connect();
    subscribe(client);
    EXPECT_EQ(hub_.subscribers(), 1u);
  }
  wait_until([this] { return hub_.subscribers() == 0; });
}

TEST_F(EventMethodsTest, ClosingTheHubEndsTheStreamWithAFinalAnswer) {
  auto client = connect();
  const auto id = subscribe(client);
  hub_.publish(hub_event(make_event("test.last", "alice")));
  hub_.close();
  Response response;
  ASSERT_TRUE(client.read_more(id, response, 5s));
  EXPECT_TRUE(response.more());
  ASSERT_TRUE(client.read_more(id, response, 5s));
  EXPECT_FALSE(response.more());
  EXPECT_EQ(response.status(), STATUS_OK);
}

}  // namespace
}  // namespace wacrm::control
