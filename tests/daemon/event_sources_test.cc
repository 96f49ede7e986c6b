// wacrmd's event sources on a real PostgreSQL: the due-event timer publishes
// a due reminder once; a stored message is published with its preview (the
// body itself is not in the event); a session state leaves its QR code out.
#include "event_sources.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <thread>

#include "control/events.pb.h"
#include "control/login.pb.h"
#include "control/pool_runner.h"
#include "crm/crm_history.h"
#include "store/pg/pg_crm_store.h"
#include "store/pg/pg_pool.h"
#include "support/test_database.h"

namespace wacrm::daemon {
namespace {

using namespace std::chrono_literals;

class EventSourcesTest : public ::testing::Test {
 protected:
  // Runs the loop until `count` events reached the subscriber or `timeout` passed.
  std::vector<control::DaemonEvent> collect(std::size_t count, std::chrono::milliseconds timeout = 20s) {
    std::vector<control::DaemonEvent> out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      // Nothing to run (a database job is out): wait a little instead of spinning.
      if (io_.run_for(50ms) == 0) std::this_thread::sleep_for(10ms);
      for (auto& e : subscription_->take().events) {
        control::DaemonEvent event;
        EXPECT_TRUE(event.ParseFromString(e.frame));
        out.push_back(std::move(event));
      }
    }
    return out;
  }

  testing::TestDatabase db_;
  store::PgConnection conn_ = db_.connect();
  testing::CrmHistory h_{(db_.apply_schema(), conn_)};
  boost::asio::io_context io_;
  std::unique_ptr<store::PgPool> pool_ = store::PgPool::open(db_.conninfo()).value();
  control::PoolRunner runner_{*pool_, io_.get_executor()};
  events::EventHub hub_;
  std::shared_ptr<events::Subscription> subscription_ = hub_.subscribe("", {});
  EventSources sources_{io_, runner_, hub_, crm::CrmSettings{}, 1s};
};

TEST_F(EventSourcesTest, ADueReminderIsPublishedOnce) {
  store::PgCrmStore store(conn_);
  ASSERT_TRUE(store.add_reminder(h_.account_id(), std::nullopt, "water the plants",
                                 std::chrono::system_clock::now() - 1min));
  sources_.start();
  auto events = collect(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "crm.reminder_due");
  EXPECT_EQ(events[0].account(), "alice");
  EXPECT_EQ(events[0].crm().reminder_due().text(), "water the plants");
  // The next looks (every second) find it raised already.
  EXPECT_TRUE(collect(1, 2500ms).empty());
  sources_.stop();
}

TEST_F(EventSourcesTest, AStoredMessageCarriesAPreviewNotItsBody) {
  auto bob = h_.person("Bob", "491700000002");
  const std::string body(500, 'x');
  auto id = h_.in(h_.chat_of(bob), testing::kNow, body);
  wa::MessageEvent stored;
  stored.type = wa::MessageEvent::Type::stored;
  stored.chat_jid = "491700000002@s.whatsapp.net";
  stored.sender_jid = stored.chat_jid;
  stored.kind = "text";
  stored.wa_ids = {"W1"};
  stored.message_id = id;
  wa::MessageEvent receipt = stored;
  receipt.type = wa::MessageEvent::Type::status_changed;   // not published
  sources_.message("alice", stored);
  sources_.message("alice", receipt);
  auto events = collect(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "message.stored");
  const auto& m = events[0].message();
  EXPECT_EQ(m.chat_jid(), stored.chat_jid);
  EXPECT_EQ(m.wa_id(), "W1");
  EXPECT_EQ(m.message_id(), id);
  EXPECT_FALSE(m.from_me());
  EXPECT_EQ(m.preview(), std::string(120, 'x'));
  EXPECT_TRUE(collect(1, 500ms).empty());
}

TEST_F(EventSourcesTest, SessionStatesLeaveTheQrCodeOut) {
  control::LoginUpdate update;
  update.set_account("alice");
  update.mutable_state()->set_phase(control::SessionState::PHASE_WAITING_FOR_QR);
  update.mutable_state()->set_qr("2@secret-ref");
  update.mutable_state()->set_description("waiting for the QR code to be scanned");
  sources_.session_state(update);
  auto batch = subscription_->take();
  ASSERT_EQ(batch.events.size(), 1u);
  control::DaemonEvent event;
  ASSERT_TRUE(event.ParseFromString(batch.events[0].frame));
  EXPECT_EQ(event.type(), "session.state");
  EXPECT_EQ(event.session().state().phase(), control::SessionState::PHASE_WAITING_FOR_QR);
  EXPECT_TRUE(event.session().state().qr().empty());
  EXPECT_EQ(event.session().state().description(), "waiting for the QR code to be scanned");
}

}  // namespace
}  // namespace wacrm::daemon
