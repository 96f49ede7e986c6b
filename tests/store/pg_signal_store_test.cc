// PgSignalStore on the test PostgreSQL: the records themselves, a
// conversation with a restart, and the atomicity contract of
// signal/state_transaction.h (state and message commit together or not at all).
#include "store/pg/pg_signal_store.h"

#include <map>

#include <gtest/gtest.h>

#include "signal/memory_signal_store.h"
#include "signal/protocol.h"
#include "signal/state_transaction.h"
#include "signal/signal_test_util.h"
#include "support/test_database.h"

namespace wacrm::store {
namespace {

using signal::Address;
using signal::Ciphertext;
using signal::Context;
using signal::MessageType;
using signal::Protocol;
using signal::SignalErrc;
using signal::testing::make_context;
using signal::testing::make_identity;
using signal::testing::padded;
using signal::testing::text_of;

std::int64_t add_account(PgConnection& conn, std::string_view name) {
  auto r = conn.exec("INSERT INTO accounts (name) VALUES ($1) RETURNING id", {pg_text(name)});
  EXPECT_TRUE(r) << r.error().to_string();
  return r->int64(0, 0);
}

// What the pairing code will write; the noise and ADV columns are placeholders here.
void add_credentials(PgConnection& conn, std::int64_t account_id, const SignalLocalIdentity& id) {
  Bytes filler(32, 0x11);
  auto r = conn.exec(
      "INSERT INTO device_credentials (account_id, noise_private, noise_public, identity_private, "
      "identity_public, registration_id, signed_prekey_id, signed_prekey_private, signed_prekey_public, "
      "signed_prekey_signature, adv_secret) VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $2)",
      {pg_int(account_id), pg_bytes(filler), pg_bytes(id.identity_private), pg_bytes(id.identity_public),
       pg_int(id.registration_id), pg_int(id.signed_pre_key_id), pg_bytes(id.signed_pre_key_private),
       pg_bytes(id.signed_pre_key_public), pg_bytes(id.signed_pre_key_signature)});
  ASSERT_TRUE(r) << r.error().to_string();
}

Bytes b(std::initializer_list<std::uint8_t> v) { return Bytes(v); }

class PgSignalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.apply_schema();
    account_ = add_account(conn_, "bob");
  }

  testing::TestDatabase db_;
  PgConnection conn_ = db_.connect();
  std::int64_t account_ = 0;
};

TEST_F(PgSignalStoreTest, LocalIdentityComesFromDeviceCredentials) {
  PgSignalStore store(conn_, account_);
  EXPECT_EQ(store.local_identity().error().code, Errc::not_found);
  Context context = make_context();
  SignalLocalIdentity identity = make_identity(context);
  add_credentials(conn_, account_, identity);
  auto loaded = store.local_identity();
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(loaded->identity_public, identity.identity_public);
  EXPECT_EQ(loaded->identity_private, identity.identity_private);
  EXPECT_EQ(loaded->registration_id, identity.registration_id);
  EXPECT_EQ(loaded->signed_pre_key_id, identity.signed_pre_key_id);
  EXPECT_EQ(loaded->signed_pre_key_public, identity.signed_pre_key_public);
  EXPECT_EQ(loaded->signed_pre_key_private, identity.signed_pre_key_private);
  EXPECT_EQ(loaded->signed_pre_key_signature, identity.signed_pre_key_signature);
}

TEST_F(PgSignalStoreTest, SessionsLoadAndStoreInBatches) {
  PgSignalStore store(conn_, account_);
  PgSignalStore other(conn_, add_account(conn_, "carol"));
  ASSERT_TRUE(store.store_session("alice", 0, b({1})));
  ASSERT_TRUE(other.store_session("dave", 0, b({9})));
  const std::vector<SessionRecord> batch{{"alice", 0, b({2})}, {"alice", 4, b({4})}, {"erin_1", 0, b({5, 0, 5})}};
  ASSERT_TRUE(store.store_sessions(batch));
  ASSERT_TRUE(store.store_sessions({}));
  EXPECT_EQ(store.load_session("alice", 0).value(), b({2}));  // replaced
  EXPECT_EQ(store.load_session("alice", 4).value(), b({4}));
  EXPECT_EQ(store.load_session("erin_1", 0).value(), b({5, 0, 5}));
  EXPECT_FALSE(other.load_session("alice", 4).value());

  const std::vector<SessionAddress> wanted{{"alice", 4}, {"dave", 0}, {"erin_1", 0}, {"alice", 1}};
  auto loaded = store.load_sessions(wanted);
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  std::map<std::pair<std::string, int>, Bytes> by_address;
  for (const auto& s : *loaded) by_address[{s.name, s.device}] = s.record;
  EXPECT_EQ(by_address.size(), 2u);  // dave is carol's; alice.1 has none
  EXPECT_EQ((by_address[{"alice", 4}]), b({4}));
  EXPECT_EQ((by_address[{"erin_1", 0}]), b({5, 0, 5}));
  EXPECT_TRUE(store.load_sessions({}).value().empty());
}

TEST_F(PgSignalStoreTest, RecordsRoundTripPerAccount) {
  PgSignalStore store(conn_, account_);
  PgSignalStore other(conn_, add_account(conn_, "carol"));

  ASSERT_TRUE(store.store_session("alice", 0, b({1, 0, 255})));
  ASSERT_TRUE(store.store_session("alice", 3, b({3})));
  ASSERT_TRUE(store.store_session("alice", 0, b({2})));  // replaces
  ASSERT_TRUE(store.store_session("dave_1", 0, b({4})));
  EXPECT_EQ(store.load_session("alice", 0).value(), b({2}));
  EXPECT_EQ(store.sub_device_sessions("alice").value(), (std::vector<int>{0, 3}));
  EXPECT_FALSE(other.load_session("alice", 0).value());
  EXPECT_TRUE(other.sub_device_sessions("alice").value().empty());
  EXPECT_TRUE(store.delete_session("alice", 3).value());
  EXPECT_FALSE(store.delete_session("alice", 3).value());
  EXPECT_EQ(store.delete_all_sessions("alice").value(), 1);
  EXPECT_FALSE(store.load_session("alice", 0).value());
  EXPECT_EQ(store.load_session("dave_1", 0).value(), b({4}));

  ASSERT_TRUE(store.store_pre_key(5, b({5})));
  ASSERT_TRUE(store.store_pre_key(6, b({6})));
  ASSERT_TRUE(other.store_pre_key(6, b({6})));
  EXPECT_EQ(store.unuploaded_pre_key_ids().value(), (std::vector<std::uint32_t>{5, 6}));
  std::vector<std::uint32_t> sent{6};
  ASSERT_TRUE(store.mark_pre_keys_uploaded(sent));
  ASSERT_TRUE(store.store_pre_key(6, b({6, 6})));  // a replaced record stays uploaded
  EXPECT_EQ(store.unuploaded_pre_key_ids().value(), (std::vector<std::uint32_t>{5}));
  EXPECT_EQ(other.unuploaded_pre_key_ids().value(), (std::vector<std::uint32_t>{6}));
  ASSERT_TRUE(store.mark_pre_keys_uploaded({}));

  ASSERT_TRUE(store.store_pre_key(0xFFFFFF, b({9, 9})));
  EXPECT_TRUE(store.contains_pre_key(0xFFFFFF).value());
  EXPECT_FALSE(other.contains_pre_key(0xFFFFFF).value());
  EXPECT_EQ(store.load_pre_key(0xFFFFFF).value(), b({9, 9}));
  ASSERT_TRUE(store.remove_pre_key(0xFFFFFF));
  EXPECT_FALSE(store.load_pre_key(0xFFFFFF).value());

  ASSERT_TRUE(store.store_signed_pre_key(1, b({8})));
  EXPECT_TRUE(store.contains_signed_pre_key(1).value());
  EXPECT_EQ(store.load_signed_pre_key(1).value(), b({8}));
  ASSERT_TRUE(store.remove_signed_pre_key(1));
  EXPECT_FALSE(store.contains_signed_pre_key(1).value());

  ASSERT_TRUE(store.save_identity("alice", 0, b({5, 1})));
  ASSERT_TRUE(store.save_identity("alice", 0, b({5, 2})));
  EXPECT_EQ(store.load_identity("alice", 0).value(), b({5, 2}));
  EXPECT_FALSE(other.load_identity("alice", 0).value());
  EXPECT_TRUE(store.delete_identity("alice", 0).value());
  EXPECT_FALSE(store.load_identity("alice", 0).value());

  ASSERT_TRUE(store.store_sender_key("g@g.us", "alice", 2, b({7})));
  ASSERT_TRUE(store.store_sender_key("g@g.us", "alice", 2, b({7, 7})));
  EXPECT_EQ(store.load_sender_key("g@g.us", "alice", 2).value(), b({7, 7}));
  EXPECT_FALSE(store.load_sender_key("g@g.us", "alice", 3).value());
  EXPECT_FALSE(store.load_sender_key("h@g.us", "alice", 2).value());
  EXPECT_FALSE(other.load_sender_key("g@g.us", "alice", 2).value());
}

// Bob's side of a conversation the way the daemon runs it: decrypt into a
// StateTransaction, then write the message and flush the state in one
// database transaction, committed or rolled back.
class BobOnPostgres {
 public:
  BobOnPostgres(Context& context, PgConnection& conn, std::int64_t account)
      : context_(context), conn_(conn), store_(conn, account), address_{"491700000002", 0} {}

  enum class Outcome { commit, roll_back };

  signal::SignalResult<Bytes> receive(const Address& from, const Ciphertext& c, Outcome outcome = Outcome::commit) {
    signal::StateTransaction state(store_);
    Protocol protocol(context_, state);
    auto plain = c.type == MessageType::pkmsg ? protocol.decrypt_pkmsg(from, c.bytes)
                                              : protocol.decrypt_msg(from, c.bytes);
    if (!plain) return plain;
    {
      auto tx = PgTransaction::begin(conn_);
      EXPECT_TRUE(tx);
      EXPECT_TRUE(conn_.exec("INSERT INTO test_received (body) VALUES ($1)", {pg_text(text_of(*plain))}));
      EXPECT_TRUE(state.flush_to(store_));
      if (outcome == Outcome::commit) {
        EXPECT_TRUE(tx->commit());
      }
    }
    state.clear();
    return plain;
  }

  // Replies write straight through: each operation is all-or-nothing anyway.
  Ciphertext reply(const Address& to, std::string_view text) {
    Protocol protocol(context_, store_);
    auto c = protocol.encrypt(to, padded(text));
    EXPECT_TRUE(c) << c.error().to_string();
    return c.value_or(Ciphertext{});
  }

  PgSignalStore& store() { return store_; }
  const Address& address() const { return address_; }

 private:
  Context& context_;
  PgConnection& conn_;
  PgSignalStore store_;
  Address address_;
};

class PgSignalConversationTest : public PgSignalStoreTest {
 protected:
  void SetUp() override {
    PgSignalStoreTest::SetUp();
    ASSERT_TRUE(conn_.exec("CREATE TABLE test_received (id serial PRIMARY KEY, body text NOT NULL)"));
    bob_identity_ = make_identity(context_);
    add_credentials(conn_, account_, bob_identity_);
    PgSignalStore bob_store(conn_, account_);
    bob_pre_keys_ = signal::generate_pre_keys(context_, 1, 3).value();
    ASSERT_TRUE(signal::store_pre_keys(context_, bob_store, bob_pre_keys_));
  }

  std::int64_t received_rows() { return conn_.exec("SELECT count(*) FROM test_received").value().int64(0, 0); }
  bool bob_has_pre_key(std::uint32_t id) { return PgSignalStore(conn_, account_).contains_pre_key(id).value(); }

  Context context_ = make_context();
  SignalLocalIdentity bob_identity_;
  std::vector<signal::PreKey> bob_pre_keys_;
  signal::MemorySignalStore alice_store_{make_identity(context_)};
  Protocol alice_{context_, alice_store_};
  Address alice_address_{"491700000001", 0};
  Address bob_address_{"491700000002", 0};
};

// (a) Alice (memory) and Bob (PostgreSQL) talk; Bob restarts; they go on.
TEST_F(PgSignalConversationTest, ConversationSurvivesARestart) {
  ASSERT_TRUE(alice_.build_session_from_bundle(bob_address_, signal::bundle_for(bob_identity_, 0, bob_pre_keys_[0])));
  {
    BobOnPostgres bob(context_, conn_, account_);
    Ciphertext first = alice_.encrypt(bob_address_, padded("hello bob")).value();
    ASSERT_EQ(first.type, MessageType::pkmsg);
    auto plain = bob.receive(alice_address_, first);
    ASSERT_TRUE(plain) << plain.error().to_string();
    EXPECT_EQ(text_of(*plain), "hello bob");
    EXPECT_FALSE(bob_has_pre_key(1));
    EXPECT_TRUE(bob_has_pre_key(2));

    Ciphertext reply = bob.reply(alice_address_, "hi alice");
    EXPECT_EQ(reply.type, MessageType::msg);
    EXPECT_EQ(text_of(alice_.decrypt_msg(bob_address_, reply.bytes).value()), "hi alice");

    Ciphertext second = alice_.encrypt(bob_address_, padded("second")).value();
    ASSERT_EQ(second.type, MessageType::msg);
    EXPECT_EQ(text_of(bob.receive(alice_address_, second).value()), "second");
  }
  // Restart: a new connection, context and objects over the same database.
  PgConnection conn2 = db_.connect();
  Context context2 = make_context();
  BobOnPostgres bob(context2, conn2, account_);
  EXPECT_EQ(bob.store().load_identity("491700000001", 0).value(),
            signal::signal_public_key(alice_store_.local_identity().value().identity_public).value());
  Ciphertext third = alice_.encrypt(bob_address_, padded("after restart")).value();
  EXPECT_EQ(text_of(bob.receive(alice_address_, third).value()), "after restart");
  Ciphertext reply = bob.reply(alice_address_, "still here");
  EXPECT_EQ(text_of(alice_.decrypt_msg(bob_address_, reply.bytes).value()), "still here");
  EXPECT_EQ(received_rows(), 3);
}

// (b) Rolled back: nothing of the decryption persists, the same ciphertext
// decrypts again and the one-time pre-key is still there. Committed: the
// same ciphertext is a duplicate.
TEST_F(PgSignalConversationTest, RolledBackDecryptionCanBeRepeatedCommittedOneIsADuplicate) {
  ASSERT_TRUE(alice_.build_session_from_bundle(bob_address_, signal::bundle_for(bob_identity_, 0, bob_pre_keys_[0])));
  BobOnPostgres bob(context_, conn_, account_);
  Ciphertext pkmsg = alice_.encrypt(bob_address_, padded("exactly once")).value();

  auto first = bob.receive(alice_address_, pkmsg, BobOnPostgres::Outcome::roll_back);
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(text_of(*first), "exactly once");
  EXPECT_TRUE(bob_has_pre_key(1));
  EXPECT_FALSE(bob.store().load_session("491700000001", 0).value());
  EXPECT_FALSE(bob.store().load_identity("491700000001", 0).value());
  EXPECT_EQ(received_rows(), 0);

  auto again = bob.receive(alice_address_, pkmsg, BobOnPostgres::Outcome::commit);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(text_of(*again), "exactly once");
  EXPECT_FALSE(bob_has_pre_key(1));
  EXPECT_EQ(received_rows(), 1);

  auto duplicate = bob.receive(alice_address_, pkmsg);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().kind, SignalErrc::duplicate_message);
  EXPECT_FALSE(signal::needs_retry_receipt(duplicate.error().kind));
  EXPECT_EQ(received_rows(), 1);

  // The same for a msg on the established session.
  Ciphertext reply = bob.reply(alice_address_, "ok");
  ASSERT_TRUE(alice_.decrypt_msg(bob_address_, reply.bytes));
  Ciphertext msg = alice_.encrypt(bob_address_, padded("msg once")).value();
  ASSERT_EQ(msg.type, MessageType::msg);
  EXPECT_EQ(text_of(bob.receive(alice_address_, msg, BobOnPostgres::Outcome::roll_back).value()), "msg once");
  EXPECT_EQ(text_of(bob.receive(alice_address_, msg).value()), "msg once");
  EXPECT_EQ(bob.receive(alice_address_, msg).error().kind, SignalErrc::duplicate_message);
  EXPECT_EQ(received_rows(), 2);
}

// The message write fails inside the transaction: the caller rolls back,
// and the state is as if the decryption never happened.
TEST_F(PgSignalConversationTest, FailedMessageWriteLeavesTheStateUnchanged) {
  ASSERT_TRUE(alice_.build_session_from_bundle(bob_address_, signal::bundle_for(bob_identity_, 0, bob_pre_keys_[0])));
  Ciphertext pkmsg = alice_.encrypt(bob_address_, padded("retry me")).value();
  PgSignalStore persistent(conn_, account_);
  {
    signal::StateTransaction state(persistent);
    Protocol bob(context_, state);
    ASSERT_TRUE(bob.decrypt_pkmsg(alice_address_, pkmsg.bytes));
    EXPECT_GT(state.pending_changes(), 0u);
    auto tx = PgTransaction::begin(conn_);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(state.flush_to(persistent));
    auto insert = conn_.exec("INSERT INTO test_received (body) VALUES (NULL)");  // violates NOT NULL
    ASSERT_FALSE(insert);
    // The caller stops here: the transaction rolls back when it goes out of scope.
  }
  EXPECT_TRUE(bob_has_pre_key(1));
  EXPECT_FALSE(persistent.load_session("491700000001", 0).value());
  BobOnPostgres bob(context_, conn_, account_);
  EXPECT_EQ(text_of(bob.receive(alice_address_, pkmsg).value()), "retry me");
}

// The current signed pre-key needs no stored record: Bob's store has none.
TEST_F(PgSignalConversationTest, SignedPreKeyIsServedFromTheCredentials) {
  PgSignalStore store(conn_, account_);
  EXPECT_FALSE(store.contains_signed_pre_key(bob_identity_.signed_pre_key_id).value());
  ASSERT_TRUE(alice_.build_session_from_bundle(bob_address_, signal::bundle_for(bob_identity_, 0, std::nullopt)));
  BobOnPostgres bob(context_, conn_, account_);
  EXPECT_EQ(text_of(bob.receive(alice_address_, alice_.encrypt(bob_address_, padded("spk only")).value()).value()),
            "spk only");
}

// Group state through PostgreSQL.
TEST_F(PgSignalConversationTest, SenderKeysPersist) {
  const std::string group = "120363000000000009@g.us";
  Bytes skdm = alice_.create_own_sender_key(group, alice_address_).value();
  {
    PgSignalStore store(conn_, account_);
    Protocol bob(context_, store);
    ASSERT_TRUE(bob.process_sender_key_distribution(group, alice_address_, skdm));
  }
  Bytes skmsg = alice_.group_encrypt(group, alice_address_, padded("to the group")).value();
  PgConnection conn2 = db_.connect();
  PgSignalStore store(conn2, account_);
  Protocol bob(context_, store);
  EXPECT_EQ(text_of(bob.decrypt_skmsg(group, alice_address_, skmsg).value()), "to the group");
  EXPECT_EQ(bob.decrypt_skmsg(group, alice_address_, skmsg).error().kind, SignalErrc::duplicate_message);
}

}  // namespace
}  // namespace wacrm::store
