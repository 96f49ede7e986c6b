// The phone side of retries without a server: corrupt() damages exactly what
// the receiver's MAC/signature check covers, and the <keys> our client puts in
// a retry receipt (lib/wa) become a bundle a phone starts a fresh session from.
#include "wasim/retry.h"

#include <gtest/gtest.h>

#include "signal/memory_signal_store.h"
#include "signal/padding.h"
#include "signal/protocol.h"
#include "wa/receipts.h"
#include "wasim/phone_send.h"
#include "wasim/prekeys.h"
#include "wasim/simulated_phone.h"

namespace wacrm::wasim {
namespace {

Bytes padded(std::string_view text) { return *signal::add_padding(as_bytes(text)); }
std::string text(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

class PhoneRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto context = signal::Context::create();
    ASSERT_TRUE(context);
    context_.emplace(std::move(*context));
    alice_ = *directory_.create({"15550001111", "", "", "", {}}, *context_);
    bob_ = *directory_.create({"15550002222", "", "", "", {}}, *context_);
    alice_phone_.emplace(*context_, *alice_);
    bob_phone_.emplace(*context_, *bob_);
  }
  signal::Address address(Account* account) { return *address_of(account->pn_jid()); }
  SimulatedPhone::BundleSource bundle_of(Account* account) {
    return [account] { return take_bundle(DeviceRef{account, 0}); };
  }

  std::optional<signal::Context> context_;
  Directory directory_;
  Account* alice_ = nullptr;
  Account* bob_ = nullptr;
  std::optional<SimulatedPhone> alice_phone_;
  std::optional<SimulatedPhone> bob_phone_;
};

TEST_F(PhoneRetryTest, ACorruptedPkmsgOrMsgFailsToDecryptAndTheIntactOneDoesNot) {
  auto first = alice_phone_->encrypt(address(bob_), padded("first"), bundle_of(bob_));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->type, signal::MessageType::pkmsg);
  signal::Ciphertext damaged = *first;
  corrupt(damaged);
  EXPECT_NE(damaged.bytes, first->bytes);
  EXPECT_FALSE(bob_phone_->decrypt(address(alice_), damaged.type, damaged.bytes));
  auto plain = bob_phone_->decrypt(address(alice_), first->type, first->bytes);
  ASSERT_TRUE(plain) << plain.error().error.to_string();
  EXPECT_EQ(text(*plain), "first");

  // Bob answers, so Alice's next is a msg.
  auto reply = bob_phone_->encrypt(address(alice_), padded("reply"), bundle_of(alice_));
  ASSERT_TRUE(reply);
  ASSERT_TRUE(alice_phone_->decrypt(address(bob_), reply->type, reply->bytes));
  auto second = alice_phone_->encrypt(address(bob_), padded("second"), bundle_of(bob_));
  ASSERT_TRUE(second);
  ASSERT_EQ(second->type, signal::MessageType::msg);
  damaged = *second;
  corrupt(damaged);
  EXPECT_FALSE(bob_phone_->decrypt(address(alice_), damaged.type, damaged.bytes));
  auto intact = bob_phone_->decrypt(address(alice_), second->type, second->bytes);
  ASSERT_TRUE(intact);
  EXPECT_EQ(text(*intact), "second");
}

TEST_F(PhoneRetryTest, ACorruptedSkmsgFailsItsSignatureCheck) {
  const std::string group = "120363000000000001@g.us";
  auto skdm = alice_phone_->sender_key_distribution(group);
  ASSERT_TRUE(skdm);
  auto skmsg = alice_phone_->group_encrypt(group, padded("to the group"));
  ASSERT_TRUE(skmsg);
  signal::MemorySignalStore store(bob_->phone_keys.identity);
  signal::Protocol receiver(*context_, store);
  ASSERT_TRUE(receiver.process_sender_key_distribution(group, address(alice_), *skdm));
  signal::Ciphertext damaged{signal::MessageType::skmsg, *skmsg};
  corrupt(damaged);
  EXPECT_FALSE(receiver.decrypt_skmsg(group, address(alice_), damaged.bytes));
  auto plain = receiver.decrypt_skmsg(group, address(alice_), *skmsg);
  ASSERT_TRUE(plain);
  EXPECT_EQ(text(*signal::strip_padding(*plain)), "to the group");
}

TEST_F(PhoneRetryTest, TheKeysOfOurClientsRetryReceiptStartAFreshSession) {
  // Bob's phone stands in for the client: its identity and one of its pre-keys go in the receipt.
  const auto& [pre_key_id, pre_key] = *bob_->phone_keys.pre_keys.begin();
  wa::RetryKeys keys{bob_->phone_keys.identity, pre_key.key, Bytes{1, 2, 3}};
  wire::Node stanza("message", {{"from", "15550001111@s.whatsapp.net"}, {"id", "3EB0AA"}, {"t", "1700000000"}});
  wire::Node receipt = wa::retry_receipt(stanza, 2, bob_->phone_keys.identity.registration_id, keys);

  auto bundle = bundle_from_retry_receipt(receipt, 0);
  ASSERT_TRUE(bundle) << bundle.error().to_string();
  EXPECT_EQ(bundle->registration_id, bob_->phone_keys.identity.registration_id);
  ASSERT_TRUE(bundle->pre_key);
  EXPECT_EQ(bundle->pre_key->id, pre_key_id);
  EXPECT_EQ(bundle->signed_pre_key.id, bob_->phone_keys.identity.signed_pre_key_id);

  ASSERT_TRUE(alice_phone_->start_session(address(bob_), *bundle));
  auto resent = alice_phone_->encrypt(address(bob_), padded("again"), [] () -> Result<signal::PreKeyBundle> {
    return make_error(Errc::internal, "the session exists: no fetch");
  });
  ASSERT_TRUE(resent);
  EXPECT_EQ(resent->type, signal::MessageType::pkmsg);
  auto plain = bob_phone_->decrypt(address(alice_), resent->type, resent->bytes);
  ASSERT_TRUE(plain) << plain.error().error.to_string();
  EXPECT_EQ(text(*plain), "again");

  // Without <keys> there is nothing to start from.
  wire::Node bare = wa::retry_receipt(stanza, 1, 7, std::nullopt);
  EXPECT_FALSE(bundle_from_retry_receipt(bare, 0));
}

}  // namespace
}  // namespace wacrm::wasim
