#include "signal/state_transaction.h"

#include <gtest/gtest.h>

#include "signal/memory_signal_store.h"

namespace wacrm::signal {
namespace {

Bytes b(std::initializer_list<std::uint8_t> v) { return Bytes(v); }

class StateTransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(base_.store_session("alice", 0, b({1})));
    ASSERT_TRUE(base_.store_session("alice", 2, b({2})));
    ASSERT_TRUE(base_.store_pre_key(7, b({7})));
    ASSERT_TRUE(base_.save_identity("alice", 0, b({5, 1})));
    ASSERT_TRUE(base_.store_sender_key("g@g.us", "alice", 0, b({9})));
  }
  MemorySignalStore base_;
};

TEST_F(StateTransactionTest, ReadsFallThroughToTheStore) {
  StateTransaction tx(base_);
  EXPECT_EQ(tx.load_session("alice", 0).value(), b({1}));
  EXPECT_EQ(tx.load_session("alice", 1).value(), std::nullopt);
  EXPECT_TRUE(tx.contains_pre_key(7).value());
  EXPECT_EQ(tx.load_identity("alice", 0).value(), b({5, 1}));
  EXPECT_EQ(tx.load_sender_key("g@g.us", "alice", 0).value(), b({9}));
  EXPECT_EQ(tx.sub_device_sessions("alice").value(), (std::vector<int>{0, 2}));
  EXPECT_EQ(tx.pending_changes(), 0u);
}

TEST_F(StateTransactionTest, PreloadedSessionsAreServedFromTheOverlay) {
  StateTransaction tx(base_);
  ASSERT_TRUE(tx.store_session("alice", 2, b({22})));  // a change of ours is not overwritten by the preload
  const std::vector<store::SessionAddress> wanted{{"alice", 0}, {"alice", 2}, {"bob", 0}, {"alice", 0}};
  ASSERT_TRUE(tx.preload_sessions(wanted));
  // The store changes behind the overlay's back: what was preloaded is what the overlay serves.
  ASSERT_TRUE(base_.store_session("alice", 0, b({100})));
  ASSERT_TRUE(base_.store_session("bob", 0, b({101})));
  EXPECT_EQ(tx.load_session("alice", 0).value(), b({1}));
  EXPECT_EQ(tx.load_session("alice", 2).value(), b({22}));
  EXPECT_EQ(tx.load_session("bob", 0).value(), std::nullopt);
  EXPECT_EQ(tx.pending_changes(), 1u);
}

TEST_F(StateTransactionTest, FlushWritesEverySessionChange) {
  StateTransaction tx(base_);
  ASSERT_TRUE(tx.store_session("alice", 0, b({10})));
  ASSERT_TRUE(tx.store_session("bob", 1, b({11})));
  ASSERT_TRUE(tx.delete_session("alice", 2));
  MemorySignalStore target;
  ASSERT_TRUE(target.store_session("alice", 2, b({2})));
  ASSERT_TRUE(tx.flush_to(target));
  EXPECT_EQ(target.load_session("alice", 0).value(), b({10}));
  EXPECT_EQ(target.load_session("bob", 1).value(), b({11}));
  EXPECT_EQ(target.load_session("alice", 2).value(), std::nullopt);
}

TEST_F(StateTransactionTest, WritesStayInTheOverlayUntilFlushed) {
  StateTransaction tx(base_);
  ASSERT_TRUE(tx.store_session("alice", 0, b({10})));
  ASSERT_TRUE(tx.store_session("bob", 1, b({11})));
  ASSERT_TRUE(tx.remove_pre_key(7));
  ASSERT_TRUE(tx.save_identity("bob", 1, b({5, 2})));
  ASSERT_TRUE(tx.store_sender_key("g@g.us", "alice", 0, b({19})));

  // The overlay sees its own writes...
  EXPECT_EQ(tx.load_session("alice", 0).value(), b({10}));
  EXPECT_FALSE(tx.contains_pre_key(7).value());
  EXPECT_EQ(tx.load_sender_key("g@g.us", "alice", 0).value(), b({19}));
  // ...the store does not.
  EXPECT_EQ(base_.load_session("alice", 0).value(), b({1}));
  EXPECT_FALSE(base_.load_session("bob", 1).value());
  EXPECT_TRUE(base_.contains_pre_key(7).value());
  EXPECT_FALSE(base_.load_identity("bob", 1).value());
  EXPECT_EQ(tx.pending_changes(), 5u);

  ASSERT_TRUE(tx.flush_to(base_));
  EXPECT_EQ(base_.load_session("alice", 0).value(), b({10}));
  EXPECT_EQ(base_.load_session("bob", 1).value(), b({11}));
  EXPECT_FALSE(base_.contains_pre_key(7).value());
  EXPECT_EQ(base_.load_identity("bob", 1).value(), b({5, 2}));
  EXPECT_EQ(base_.load_sender_key("g@g.us", "alice", 0).value(), b({19}));
  // Flushing does not forget: a failed commit can be retried or discarded.
  EXPECT_EQ(tx.pending_changes(), 5u);
}

TEST_F(StateTransactionTest, ClearDiscardsEverything) {
  StateTransaction tx(base_);
  ASSERT_TRUE(tx.store_session("alice", 0, b({10})));
  ASSERT_TRUE(tx.remove_pre_key(7));
  tx.clear();
  EXPECT_EQ(tx.pending_changes(), 0u);
  EXPECT_EQ(tx.load_session("alice", 0).value(), b({1}));
  EXPECT_TRUE(tx.contains_pre_key(7).value());
  ASSERT_TRUE(tx.flush_to(base_));
  EXPECT_EQ(base_.load_session("alice", 0).value(), b({1}));
}

TEST_F(StateTransactionTest, SessionDeletesMergeWithTheStore) {
  StateTransaction tx(base_);
  ASSERT_TRUE(tx.store_session("alice", 5, b({15})));
  EXPECT_TRUE(tx.delete_session("alice", 2).value());
  EXPECT_FALSE(tx.delete_session("alice", 3).value());
  EXPECT_EQ(tx.sub_device_sessions("alice").value(), (std::vector<int>{0, 5}));

  EXPECT_EQ(tx.delete_all_sessions("alice").value(), 2);
  EXPECT_TRUE(tx.sub_device_sessions("alice").value().empty());
  EXPECT_EQ(base_.sub_device_sessions("alice").value(), (std::vector<int>{0, 2}));

  ASSERT_TRUE(tx.flush_to(base_));
  EXPECT_TRUE(base_.sub_device_sessions("alice").value().empty());
}

TEST_F(StateTransactionTest, IdentityDeleteIsBufferedToo) {
  StateTransaction tx(base_);
  EXPECT_TRUE(tx.delete_identity("alice", 0).value());
  EXPECT_FALSE(tx.load_identity("alice", 0).value());
  EXPECT_TRUE(base_.load_identity("alice", 0).value());
  ASSERT_TRUE(tx.flush_to(base_));
  EXPECT_FALSE(base_.load_identity("alice", 0).value());
}

TEST_F(StateTransactionTest, LocalIdentityComesFromTheStore) {
  StateTransaction tx(base_);
  EXPECT_EQ(tx.local_identity().error().code, Errc::not_found);
  base_.set_local_identity(store::SignalLocalIdentity{.registration_id = 42});
  EXPECT_EQ(tx.local_identity().value().registration_id, 42u);
}

}  // namespace
}  // namespace wacrm::signal
