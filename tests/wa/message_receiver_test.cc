// MessageReceiver on a real loop and a real two-thread PgPool: stanzas are
// processed one at a time in arrival order even though the pool could run
// two jobs at once, answers go out only after each commit, and a stanza the
// database could not take gets nothing sent.
#include "wa/message_receiver.h"

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "store/pg/pg_pool.h"
#include "support/test_database.h"
#include "wa/message_test_support.h"
#include "pg_message_access.h"

namespace wacrm::wa {
namespace {

using namespace testing;
using namespace std::chrono_literals;

// Refuses every job, as a full or stopping pool does.
class RefusingAccess final : public MessageStoreAccess {
 public:
  bool submit(std::int64_t, std::function<void(MessageStores&)>) override { return false; }
};

class MessageReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.apply_schema();
    linked_ = link_account(context_, conn_);
    std::vector<store::PgConnection> conns;
    conns.push_back(db_.connect());
    conns.push_back(db_.connect());
    pool_ = std::make_unique<store::PgPool>(std::move(conns));
    access_ = std::make_unique<daemon::PgMessageStoreAccess>(*pool_);
  }
  void TearDown() override { pool_->shutdown(); }

  // Runs the loop until `done` or 20 s.
  void run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(20ms);
    }
    ASSERT_TRUE(done()) << "timed out";
  }

  signal::Context context_ = make_context();
  wacrm::testing::TestDatabase db_;
  store::PgConnection conn_ = db_.connect();
  LinkedAccount linked_;
  boost::asio::io_context io_;
  std::unique_ptr<store::PgPool> pool_;
  std::unique_ptr<daemon::PgMessageStoreAccess> access_;
};

TEST_F(MessageReceiverTest, ProcessesStanzasInArrivalOrderAndAnswersAfterEach) {
  auto receiver = MessageReceiver::create(io_.get_executor(), *access_, linked_.config).value();
  std::vector<MessageEvent> events;
  receiver->on_event([&](const MessageEvent& e) { events.push_back(e); });

  Phone alice(context_, "491700000001");
  alice.connect(linked_.identity, linked_.pre_keys[0]);
  std::vector<wire::Node> sent;
  constexpr int kCount = 12;
  for (int i = 0; i < kCount; ++i) {
    auto node = stanza("R" + std::to_string(i), alice.jid().to_string(), {enc(alice.encrypt(text(std::to_string(i))))});
    ASSERT_TRUE(receiver->take(node, [&](const wire::Node& n) { sent.push_back(n); }));
  }
  EXPECT_EQ(receiver->queued(), static_cast<std::size_t>(kCount));
  // Not ours: iq results, presence.
  EXPECT_FALSE(receiver->take(wire::Node("presence", {{"from", alice.jid().to_string()}}), {}));

  run_until([&] { return sent.size() == 2 * kCount; });
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(sent[2 * i].tag, "receipt");
    EXPECT_EQ(sent[2 * i].attr_or("id"), "R" + std::to_string(i));
    EXPECT_EQ(sent[2 * i + 1].tag, "ack");
    EXPECT_EQ(sent[2 * i + 1].attr_or("id"), "R" + std::to_string(i));
  }
  EXPECT_EQ(receiver->queued(), 0u);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(conn_.exec("SELECT count(*) FROM messages").value().int64(0, 0), kCount);

  // Receipts and notifications take the same road.
  receiver->set_available(true);
  wire::Node receipt("receipt", {{"from", alice.jid().to_string()}, {"id", "MINE"}, {"type", "read"}});
  ASSERT_TRUE(receiver->take(receipt, [&](const wire::Node& n) { sent.push_back(n); }));
  run_until([&] { return sent.size() == 2 * kCount + 1; });
  EXPECT_EQ(sent.back().attr_or("class"), "receipt");
}

TEST_F(MessageReceiverTest, StanzasWaitUntilTheReceiverKnowsWhoWeAre) {
  auto receiver = MessageReceiver::create(io_.get_executor(), *access_).value();
  Phone alice(context_, "491700000001");
  alice.connect(linked_.identity, linked_.pre_keys[0]);
  int sends = 0;
  for (std::string id : {"W1", "W2"})
    receiver->take(stanza(id, alice.jid().to_string(), {enc(alice.encrypt(text(id)))}),
                   [&](const wire::Node&) { ++sends; });
  io_.run_for(200ms);
  EXPECT_EQ(sends, 0);
  EXPECT_EQ(receiver->queued(), 2u);
  EXPECT_FALSE(receiver->configured());

  receiver->configure(linked_.config);
  run_until([&] { return sends == 4; });
  EXPECT_EQ(conn_.exec("SELECT count(*) FROM messages").value().int64(0, 0), 2);
}

TEST_F(MessageReceiverTest, ABacklogThatFailsTogetherIsRetriedOneByOne) {
  auto receiver = MessageReceiver::create(io_.get_executor(), *access_).value();
  int commits = 0;
  receiver->set_before_commit([&commits] {
    // The backlog's transaction fails; the single ones after it do not.
    return ++commits == 1 ? Status(make_error(Errc::database, "failpoint")) : Status{};
  });
  Phone alice(context_, "491700000001");
  alice.connect(linked_.identity, linked_.pre_keys[0]);
  std::vector<std::string> receipts;
  for (int i = 0; i < 3; ++i)
    receiver->take(stanza("K" + std::to_string(i), alice.jid().to_string(), {enc(alice.encrypt(text("k")))}),
                   [&](const wire::Node& n) {
                     if (n.tag == "receipt") receipts.emplace_back(n.attr_or("id"));
                   });
  receiver->configure(linked_.config);  // all three go as one backlog
  run_until([&] { return receipts.size() == 3; });
  EXPECT_EQ(receipts, (std::vector<std::string>{"K0", "K1", "K2"}));
  EXPECT_EQ(commits, 4);  // the backlog, then each alone
  EXPECT_EQ(conn_.exec("SELECT count(*) FROM messages").value().int64(0, 0), 3);
}

TEST_F(MessageReceiverTest, NothingIsSentForAStanzaTheDatabaseCouldNotTake) {
  RefusingAccess refusing;
  auto receiver = MessageReceiver::create(io_.get_executor(), refusing, linked_.config).value();
  std::vector<std::string> failed;
  receiver->on_error([&](const wire::Node& stanza, const Error& error) {
    failed.push_back(std::string(stanza.attr_or("id")) + ": " + errc_name(error.code).data());
  });
  int sends = 0;
  for (std::string id : {"F1", "F2"})
    receiver->take(stanza(id, "491700000001@s.whatsapp.net", {}), [&](const wire::Node&) { ++sends; });
  run_until([&] { return failed.size() == 2; });
  EXPECT_EQ(failed[0], "F1: unavailable");
  EXPECT_EQ(failed[1], "F2: unavailable");
  EXPECT_EQ(sends, 0);
  EXPECT_EQ(receiver->queued(), 0u);
}

TEST_F(MessageReceiverTest, ALateAnswerAfterTheReceiverIsGoneIsDropped) {
  auto receiver = MessageReceiver::create(io_.get_executor(), *access_, linked_.config).value();
  Phone alice(context_, "491700000001");
  alice.connect(linked_.identity, linked_.pre_keys[0]);
  int sends = 0;
  receiver->take(stanza("GONE", alice.jid().to_string(), {enc(alice.encrypt(text("x")))}),
                 [&](const wire::Node&) { ++sends; });
  receiver.reset();  // the session ended while the job was queued or running
  pool_->shutdown();  // waits for the job: it committed
  io_.restart();
  io_.run_for(100ms);
  EXPECT_EQ(sends, 0);
  EXPECT_EQ(conn_.exec("SELECT count(*) FROM messages").value().int64(0, 0), 1);
}

// A fast producer (a socket with a backlog behind it) that stops while the
// receiver says it is full: the queue never holds more than the high-water
// mark, reading resumes each time it is down to the low mark, and every
// stanza is stored and answered.
TEST_F(MessageReceiverTest, AFullQueuePausesTheProducerUntilItDrains) {
  auto receiver = MessageReceiver::create(io_.get_executor(), *access_, linked_.config).value();
  bool paused = false;
  int pauses = 0;
  int resumes = 0;
  receiver->on_full([&](bool full) {
    paused = full;
    ++(full ? pauses : resumes);
  });
  Phone alice(context_, "491700000001");
  alice.connect(linked_.identity, linked_.pre_keys[0]);
  constexpr int kCount = 1300;  // more than twice the high-water mark
  std::vector<wire::Node> backlog;
  for (int i = 0; i < kCount; ++i)
    backlog.push_back(stanza("B" + std::to_string(i), alice.jid().to_string(), {enc(alice.encrypt(text("b")))}));

  int next = 0;
  int acks = 0;
  std::size_t most = 0;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (acks < kCount && std::chrono::steady_clock::now() < deadline) {
    while (!paused && next < kCount) {
      receiver->take(backlog[next++], [&](const wire::Node& n) { acks += n.tag == "ack"; });
      most = std::max(most, receiver->queued());
    }
    io_.restart();
    io_.run_for(5ms);
  }
  ASSERT_EQ(acks, kCount) << "timed out";
  EXPECT_EQ(most, MessageReceiver::kHighWater);
  EXPECT_GE(pauses, 3);  // 512, then 256 more each time it is down to 256
  EXPECT_EQ(resumes, pauses);
  EXPECT_FALSE(receiver->full());
  EXPECT_EQ(receiver->queued(), 0u);
  EXPECT_EQ(conn_.exec("SELECT count(*) FROM messages").value().int64(0, 0), kCount);
}

}  // namespace
}  // namespace wacrm::wa
