// Signal operations between parties with in-memory stores: sessions,
// groups, failures and their categories, all-or-nothing state changes.
#include "signal/protocol.h"

#include <gtest/gtest.h>

#include "signal/memory_signal_store.h"
#include "signal/state_transaction.h"
#include "signal_test_util.h"

namespace wacrm::signal {
namespace {

using testing::make_context;
using testing::make_identity;
using testing::padded;
using testing::text_of;

// One device with its own keys, store and Protocol.
struct Party {
  Party(Context& context, std::string user, int device = 0, TrustPolicy trust = TrustPolicy::accept_changes)
      : identity(make_identity(context)),
        store(identity),
        protocol(context, store, trust),
        address{std::move(user), device},
        pre_keys(generate_pre_keys(context, 1, 5).value()) {
    EXPECT_TRUE(store_pre_keys(context, store, pre_keys));
  }

  PreKeyBundle bundle(std::optional<std::size_t> pre_key = 0) const {
    return bundle_for(identity, address.device, pre_key ? std::optional(pre_keys[*pre_key]) : std::nullopt);
  }

  store::SignalLocalIdentity identity;
  MemorySignalStore store;
  Protocol protocol;
  Address address;
  std::vector<PreKey> pre_keys;
};

class ProtocolTest : public ::testing::Test {
 protected:
  Context context_ = make_context();
};

// Alice starts a session from Bob's bundle; both talk.
void start_conversation(Party& alice, Party& bob) {
  ASSERT_TRUE(alice.protocol.build_session_from_bundle(bob.address, bob.bundle()));
  auto first = alice.protocol.encrypt(bob.address, padded("hello bob"));
  ASSERT_TRUE(first) << first.error().to_string();
  ASSERT_EQ(first->type, MessageType::pkmsg);
  ASSERT_EQ(first->bytes.at(0), 0x33);
  auto plain = bob.protocol.decrypt_pkmsg(alice.address, first->bytes);
  ASSERT_TRUE(plain) << plain.error().to_string();
  ASSERT_EQ(text_of(*plain), "hello bob");
}

// ...and Bob answers, so Alice's next messages are msg, not pkmsg.
void complete_conversation(Party& alice, Party& bob) {
  start_conversation(alice, bob);
  auto reply = bob.protocol.encrypt(alice.address, padded("ack"));
  ASSERT_TRUE(reply);
  ASSERT_TRUE(alice.protocol.decrypt_msg(bob.address, reply->bytes));
}

TEST_F(ProtocolTest, OneToOneConversation) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  EXPECT_FALSE(alice.protocol.has_session(bob.address).value());
  start_conversation(alice, bob);
  EXPECT_TRUE(alice.protocol.has_session(bob.address).value());
  EXPECT_TRUE(bob.protocol.has_session(alice.address).value());
  // The one-time pre-key is consumed; the others stay.
  EXPECT_FALSE(bob.store.contains_pre_key(1).value());
  EXPECT_TRUE(bob.store.contains_pre_key(2).value());
  // Bob stored Alice's identity in libsignal's 33-byte form.
  EXPECT_EQ(bob.store.load_identity(alice.address.name, 0).value(),
            signal_public_key(alice.identity.identity_public).value());

  // A session made from an incoming pkmsg answers with msg.
  auto reply = bob.protocol.encrypt(alice.address, padded("hi alice"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type, MessageType::msg);
  EXPECT_EQ(text_of(alice.protocol.decrypt_msg(bob.address, reply->bytes).value()), "hi alice");

  // Once Bob answered, Alice sends msg too.
  auto next = alice.protocol.encrypt(bob.address, padded("how are you"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->type, MessageType::msg);
  EXPECT_EQ(text_of(bob.protocol.decrypt_msg(alice.address, next->bytes).value()), "how are you");
}

TEST_F(ProtocolTest, UntilAnsweredEveryMessageIsAPkmsg) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  start_conversation(alice, bob);
  auto second = alice.protocol.encrypt(bob.address, padded("still there?"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->type, MessageType::pkmsg);
  EXPECT_EQ(text_of(bob.protocol.decrypt_pkmsg(alice.address, second->bytes).value()), "still there?");
}

TEST_F(ProtocolTest, OutOfOrderMessagesDecrypt) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  complete_conversation(alice, bob);
  std::vector<Ciphertext> sent;
  for (int i = 0; i < 4; ++i) sent.push_back(alice.protocol.encrypt(bob.address, padded("m" + std::to_string(i))).value());
  for (int i : {3, 0, 2, 1})
    EXPECT_EQ(text_of(bob.protocol.decrypt_msg(alice.address, sent[i].bytes).value()), "m" + std::to_string(i));
}

TEST_F(ProtocolTest, BundleWithoutOneTimePreKey) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  ASSERT_TRUE(alice.protocol.build_session_from_bundle(bob.address, bob.bundle(std::nullopt)));
  auto first = alice.protocol.encrypt(bob.address, padded("no pre-key"));
  ASSERT_EQ(first->type, MessageType::pkmsg);
  EXPECT_EQ(text_of(bob.protocol.decrypt_pkmsg(alice.address, first->bytes).value()), "no pre-key");
  EXPECT_EQ(bob.store.pre_key_count(), 5u);
}

TEST_F(ProtocolTest, ReplayedMessageIsADuplicateNotARetry) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  start_conversation(alice, bob);
  auto reply = bob.protocol.encrypt(alice.address, padded("once"));
  ASSERT_TRUE(alice.protocol.decrypt_msg(bob.address, reply->bytes));
  auto again = alice.protocol.decrypt_msg(bob.address, reply->bytes);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, SignalErrc::duplicate_message);
  EXPECT_FALSE(needs_retry_receipt(again.error().kind));
  EXPECT_EQ(Error(again.error()).code, Errc::already_exists);
}

TEST_F(ProtocolTest, NoSessionIsCategorized) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002"), carol(context_, "491700000003");
  complete_conversation(alice, bob);
  auto next = alice.protocol.encrypt(bob.address, padded("for bob"));
  ASSERT_EQ(next->type, MessageType::msg);
  // Carol never talked to Alice.
  auto decrypted = carol.protocol.decrypt_msg(alice.address, next->bytes);
  ASSERT_FALSE(decrypted);
  EXPECT_EQ(decrypted.error().kind, SignalErrc::no_session);
  EXPECT_TRUE(needs_retry_receipt(decrypted.error().kind));
  auto encrypted = carol.protocol.encrypt(alice.address, padded("hello?"));
  ASSERT_FALSE(encrypted);
  EXPECT_EQ(encrypted.error().kind, SignalErrc::no_session);
}

TEST_F(ProtocolTest, ConsumedPreKeyGivesInvalidKeyId) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  ASSERT_TRUE(alice.protocol.build_session_from_bundle(bob.address, bob.bundle()));
  auto first = alice.protocol.encrypt(bob.address, padded("late"));
  ASSERT_TRUE(bob.store.remove_pre_key(1));
  auto decrypted = bob.protocol.decrypt_pkmsg(alice.address, first->bytes);
  ASSERT_FALSE(decrypted);
  EXPECT_EQ(decrypted.error().kind, SignalErrc::invalid_key_id);
  EXPECT_TRUE(needs_retry_receipt(decrypted.error().kind));
}

// (d) Every single-byte corruption of a msg fails with a category that asks
// for a retry, without a crash and without touching the state: the genuine
// message still decrypts afterwards.
TEST_F(ProtocolTest, CorruptedMsgFailsCleanlyAndLeavesStateAlone) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  complete_conversation(alice, bob);
  Bytes genuine = alice.protocol.encrypt(bob.address, padded("the real one")).value().bytes;

  for (std::size_t i = 0; i < genuine.size(); ++i) {
    Bytes corrupted = genuine;
    corrupted[i] ^= 0x5a;
    auto result = bob.protocol.decrypt_msg(alice.address, corrupted);
    ASSERT_FALSE(result) << "byte " << i;
    EXPECT_TRUE(needs_retry_receipt(result.error().kind))
        << "byte " << i << ": " << result.error().to_string();
  }
  for (std::size_t len : {std::size_t{1}, std::size_t{5}, genuine.size() - 1}) {
    auto result = bob.protocol.decrypt_msg(alice.address, ByteView(genuine).first(len));
    ASSERT_FALSE(result);
    EXPECT_TRUE(needs_retry_receipt(result.error().kind)) << result.error().to_string();
  }
  auto garbage = bob.protocol.decrypt_msg(alice.address, as_bytes("definitely not a signal message"));
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().kind, SignalErrc::invalid_message);
  EXPECT_FALSE(bob.protocol.decrypt_msg(alice.address, {}));

  EXPECT_EQ(text_of(bob.protocol.decrypt_msg(alice.address, genuine).value()), "the real one");
}

// A failed pkmsg leaves no trace (libsignal saves the sender's identity
// before it decrypts; that write must not survive the failure).
TEST_F(ProtocolTest, FailedPkmsgChangesNothing) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  ASSERT_TRUE(alice.protocol.build_session_from_bundle(bob.address, bob.bundle()));
  Bytes genuine = alice.protocol.encrypt(bob.address, padded("pkmsg")).value().bytes;
  int failures = 0;
  for (std::size_t i = 0; i < genuine.size(); ++i) {
    Bytes corrupted = genuine;
    corrupted[i] ^= 0x5a;
    StateTransaction tx(bob.store);
    Protocol attempt(context_, tx);
    auto result = attempt.decrypt_pkmsg(alice.address, corrupted);
    if (result) continue;  // e.g. the registration id is not authenticated
    ++failures;
    EXPECT_EQ(tx.pending_changes(), 0u) << "byte " << i << ": " << result.error().to_string();
    EXPECT_NE(result.error().kind, SignalErrc::internal) << "byte " << i << ": " << result.error().to_string();
  }
  EXPECT_GT(failures, static_cast<int>(genuine.size()) * 8 / 10);
  EXPECT_FALSE(bob.store.load_identity(alice.address.name, 0).value());
  EXPECT_EQ(bob.store.session_count(), 0u);
  EXPECT_EQ(text_of(bob.protocol.decrypt_pkmsg(alice.address, genuine).value()), "pkmsg");
}

TEST_F(ProtocolTest, BundleWithBadSignatureIsRefused) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  PreKeyBundle bundle = bob.bundle();
  bundle.signed_pre_key.signature[5] ^= 0x01;
  auto built = alice.protocol.build_session_from_bundle(bob.address, bundle);
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().kind, SignalErrc::invalid_key);
  EXPECT_FALSE(alice.protocol.has_session(bob.address).value());

  bundle = bob.bundle();
  bundle.identity_key.pop_back();
  EXPECT_EQ(alice.protocol.build_session_from_bundle(bob.address, bundle).error().kind, SignalErrc::invalid_key);
}

// Alice reinstalls: same address, new identity key.
TEST_F(ProtocolTest, ChangedIdentityIsAcceptedAndReportedOrRefusedWhenStrict) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  start_conversation(alice, bob);
  Party new_alice(context_, "491700000001");
  ASSERT_TRUE(new_alice.protocol.build_session_from_bundle(bob.address, bob.bundle(1)));
  Bytes pkmsg = new_alice.protocol.encrypt(bob.address, padded("new phone")).value().bytes;

  // A strict Bob over the same state refuses, and stores nothing.
  {
    StateTransaction tx(bob.store);
    Protocol strict(context_, tx, TrustPolicy::strict);
    auto refused = strict.decrypt_pkmsg(alice.address, pkmsg);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, SignalErrc::untrusted_identity);
    EXPECT_TRUE(needs_retry_receipt(refused.error().kind));
    EXPECT_EQ(tx.pending_changes(), 0u);
  }
  // The default Bob accepts and says so.
  EXPECT_TRUE(bob.protocol.identity_changes().empty());
  EXPECT_EQ(text_of(bob.protocol.decrypt_pkmsg(alice.address, pkmsg).value()), "new phone");
  ASSERT_EQ(bob.protocol.identity_changes().size(), 1u);
  EXPECT_EQ(bob.protocol.identity_changes()[0], alice.address);
  EXPECT_EQ(bob.store.load_identity(alice.address.name, 0).value(),
            signal_public_key(new_alice.identity.identity_public).value());
}

// A store that is down: the category says so (do not ack, do not retry).
class DownStore final : public store::SignalStore {
 public:
  static std::unexpected<Error> down() { return make_error(Errc::unavailable, "database is down"); }
  Result<store::SignalLocalIdentity> local_identity() override { return down(); }
  Result<std::optional<Bytes>> load_session(std::string_view, int) override { return down(); }
  Status store_session(std::string_view, int, ByteView) override { return down(); }
  Result<std::vector<int>> sub_device_sessions(std::string_view) override { return down(); }
  Result<bool> delete_session(std::string_view, int) override { return down(); }
  Result<int> delete_all_sessions(std::string_view) override { return down(); }
  Result<std::optional<Bytes>> load_pre_key(std::uint32_t) override { return down(); }
  Status store_pre_key(std::uint32_t, ByteView) override { return down(); }
  Result<bool> contains_pre_key(std::uint32_t) override { return down(); }
  Status remove_pre_key(std::uint32_t) override { return down(); }
  Result<std::vector<std::uint32_t>> unuploaded_pre_key_ids() override { return down(); }
  Status mark_pre_keys_uploaded(std::span<const std::uint32_t>) override { return down(); }
  Result<std::optional<Bytes>> load_signed_pre_key(std::uint32_t) override { return down(); }
  Status store_signed_pre_key(std::uint32_t, ByteView) override { return down(); }
  Result<bool> contains_signed_pre_key(std::uint32_t) override { return down(); }
  Status remove_signed_pre_key(std::uint32_t) override { return down(); }
  Status save_identity(std::string_view, int, ByteView) override { return down(); }
  Result<std::optional<Bytes>> load_identity(std::string_view, int) override { return down(); }
  Result<bool> delete_identity(std::string_view, int) override { return down(); }
  Result<std::optional<Bytes>> load_sender_key(std::string_view, std::string_view, int) override { return down(); }
  Status store_sender_key(std::string_view, std::string_view, int, ByteView) override { return down(); }
};

TEST_F(ProtocolTest, StoreFailureIsReportedAsSuch) {
  Party alice(context_, "491700000001"), bob(context_, "491700000002");
  start_conversation(alice, bob);
  Bytes pkmsg = alice.protocol.encrypt(bob.address, padded("y")).value().bytes;
  Bytes msg = bob.protocol.encrypt(alice.address, padded("x")).value().bytes;
  ASSERT_TRUE(alice.protocol.create_own_sender_key("g@g.us", alice.address));
  Bytes skmsg = alice.protocol.group_encrypt("g@g.us", alice.address, padded("z")).value();
  DownStore down;
  Protocol broken(context_, down);
  for (auto result : {broken.decrypt_msg(bob.address, msg), broken.decrypt_pkmsg(alice.address, pkmsg),
                      broken.decrypt_skmsg("g@g.us", alice.address, skmsg)}) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, SignalErrc::store) << result.error().to_string();
    EXPECT_EQ(Error(result.error()).code, Errc::unavailable);
    EXPECT_NE(result.error().to_string().find("database is down"), std::string::npos);
    EXPECT_FALSE(needs_retry_receipt(result.error().kind));
  }
}

// (c) Three members, each with a sender key, each sends; the others read.
TEST_F(ProtocolTest, GroupOfThreeWithSenderKeys) {
  const std::string group = "120363000000000001@g.us";
  Party a(context_, "491700000001"), b(context_, "491700000002"), c(context_, "491700000003");
  std::vector<Party*> members{&a, &b, &c};
  for (Party* sender : members) {
    Bytes skdm = sender->protocol.create_own_sender_key(group, sender->address).value();
    ASSERT_EQ(skdm.at(0), 0x33);
    for (Party* receiver : members)
      if (receiver != sender) {
        ASSERT_TRUE(receiver->protocol.process_sender_key_distribution(group, sender->address, skdm));
      }
  }
  for (Party* sender : members) {
    std::string text = "from " + sender->address.name;
    Bytes skmsg = sender->protocol.group_encrypt(group, sender->address, padded(text)).value();
    for (Party* receiver : members) {
      if (receiver == sender) continue;
      auto plain = receiver->protocol.decrypt_skmsg(group, sender->address, skmsg);
      ASSERT_TRUE(plain) << plain.error().to_string();
      EXPECT_EQ(text_of(*plain), text);
    }
  }
  // Creating the own sender key again returns the same key, not a new one.
  ASSERT_TRUE(a.protocol.create_own_sender_key(group, a.address));
  Bytes skmsg = a.protocol.group_encrypt(group, a.address, padded("still works")).value();
  EXPECT_EQ(text_of(b.protocol.decrypt_skmsg(group, a.address, skmsg).value()), "still works");
  EXPECT_EQ(a.store.sender_key_count(), 3u);
}

TEST_F(ProtocolTest, GroupToleratesGapsAndRejectsReplays) {
  const std::string group = "120363000000000002@g.us";
  Party a(context_, "491700000001"), b(context_, "491700000002");
  Bytes skdm = a.protocol.create_own_sender_key(group, a.address).value();
  ASSERT_TRUE(b.protocol.process_sender_key_distribution(group, a.address, skdm));
  std::vector<Bytes> sent;
  for (int i = 0; i < 6; ++i)
    sent.push_back(a.protocol.group_encrypt(group, a.address, padded("g" + std::to_string(i))).value());
  // Iterations 0, 2, 4 only (as a Baileys sender does), then a late 1.
  for (int i : {0, 2, 4, 1})
    EXPECT_EQ(text_of(b.protocol.decrypt_skmsg(group, a.address, sent[i]).value()), "g" + std::to_string(i));
  auto replay = b.protocol.decrypt_skmsg(group, a.address, sent[2]);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().kind, SignalErrc::duplicate_message);
}

TEST_F(ProtocolTest, GroupFailuresAreCategorized) {
  const std::string group = "120363000000000003@g.us";
  Party a(context_, "491700000001"), b(context_, "491700000002");
  EXPECT_EQ(a.protocol.group_encrypt(group, a.address, padded("x")).error().kind, SignalErrc::no_session);
  Bytes skdm = a.protocol.create_own_sender_key(group, a.address).value();
  Bytes skmsg = a.protocol.group_encrypt(group, a.address, padded("secret")).value();
  // No sender key yet: the retry-receipt case of notes §2.7.
  auto missing = b.protocol.decrypt_skmsg(group, a.address, skmsg);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, SignalErrc::no_session);
  EXPECT_TRUE(needs_retry_receipt(missing.error().kind));
  // The key is per group.
  ASSERT_TRUE(b.protocol.process_sender_key_distribution("other@g.us", a.address, skdm));
  EXPECT_EQ(b.protocol.decrypt_skmsg(group, a.address, skmsg).error().kind, SignalErrc::no_session);

  ASSERT_TRUE(b.protocol.process_sender_key_distribution(group, a.address, skdm));
  for (std::size_t i = 0; i < skmsg.size(); ++i) {
    Bytes corrupted = skmsg;
    corrupted[i] ^= 0x5a;
    auto result = b.protocol.decrypt_skmsg(group, a.address, corrupted);
    ASSERT_FALSE(result) << "byte " << i;
    EXPECT_NE(result.error().kind, SignalErrc::internal) << "byte " << i << ": " << result.error().to_string();
  }
  EXPECT_EQ(b.protocol.process_sender_key_distribution(group, a.address, as_bytes("junk")).error().kind,
            SignalErrc::invalid_message);
  EXPECT_EQ(text_of(b.protocol.decrypt_skmsg(group, a.address, skmsg).value()), "secret");
}

}  // namespace
}  // namespace wacrm::signal
