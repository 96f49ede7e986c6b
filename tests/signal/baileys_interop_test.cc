// Our Signal stack decrypting what Baileys' own Signal code encrypted
// (vectors/baileys-signal.json, made by gen_baileys_vectors.mjs with
// libsignal-node and Baileys 6 and 7 sender-key code): the receiving half of
// the interoperability run of notes §2.11, as a test that needs no Node.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "signal/key_generation.h"
#include "signal/memory_signal_store.h"
#include "signal/protocol.h"
#include "signal/xeddsa.h"
#include "signal_test_util.h"
#include "support/test_env.h"

namespace wacrm::signal {
namespace {

using json = nlohmann::json;

json load_vectors() {
  std::ifstream in(wacrm::testing::source_dir() + "/tests/signal/vectors/baileys-signal.json");
  if (!in) throw std::runtime_error("cannot open tests/signal/vectors/baileys-signal.json");
  return json::parse(in);
}

Bytes hex(const json& value) {
  Bytes out;
  if (!from_hex(value.get<std::string>(), out)) throw std::runtime_error("bad hex in vectors");
  return out;
}

Address address_of(const json& sender) { return {sender["name"].get<std::string>(), sender["device"].get<int>()}; }

class BaileysInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const json& bob = vectors_["bob"];
    identity_ = store::SignalLocalIdentity{
        .identity_public = hex(bob["identity_public"]),
        .identity_private = hex(bob["identity_private"]),
        .registration_id = bob["registration_id"].get<std::uint32_t>(),
        .signed_pre_key_id = bob["signed_pre_key"]["id"].get<std::uint32_t>(),
        .signed_pre_key_public = hex(bob["signed_pre_key"]["public"]),
        .signed_pre_key_private = hex(bob["signed_pre_key"]["private"]),
        .signed_pre_key_signature = hex(bob["signed_pre_key"]["signature"]),
    };
    store_.set_local_identity(identity_);
    pre_key_ = PreKey{bob["pre_key"]["id"].get<std::uint32_t>(),
                      KeyPair{hex(bob["pre_key"]["public"]), hex(bob["pre_key"]["private"])}};
    ASSERT_TRUE(store_pre_keys(context_, store_, std::span(&pre_key_, 1)));
  }

  json vectors_ = load_vectors();
  Context context_ = testing::make_context();
  store::SignalLocalIdentity identity_;
  PreKey pre_key_;
  MemorySignalStore store_;
  Protocol bob_{context_, store_};
};

// libsignal-node's XEdDSA signature over the 33-byte key verifies with ours.
TEST_F(BaileysInteropTest, SignedPreKeySignatureFromLibsignalNodeVerifies) {
  Bytes signed_form = signal_public_key(identity_.signed_pre_key_public).value();
  EXPECT_TRUE(xeddsa_verify(identity_.identity_public, signed_form, identity_.signed_pre_key_signature));
  signed_form.back() ^= 1;
  EXPECT_FALSE(xeddsa_verify(identity_.identity_public, signed_form, identity_.signed_pre_key_signature));
}

TEST_F(BaileysInteropTest, OneToOneMessagesFromLibsignalNodeDecrypt) {
  ASSERT_FALSE(vectors_["one_to_one"].empty());
  for (const json& conversation : vectors_["one_to_one"]) {
    Address sender = address_of(conversation["sender"]);
    SCOPED_TRACE(sender.to_string());
    for (const json& message : conversation["messages"]) {
      ASSERT_EQ(message["type"], "pkmsg");  // Bob never answered in the vectors
      auto plain = bob_.decrypt_pkmsg(sender, hex(message["ciphertext"]));
      ASSERT_TRUE(plain) << plain.error().to_string();
      EXPECT_EQ(*plain, hex(message["plaintext"]));
      EXPECT_TRUE(strip_padding(*plain));
    }
    // The sender's identity as libsignal stores it: 33 bytes.
    EXPECT_EQ(store_.load_identity(sender.name, sender.device).value(),
              signal_public_key(hex(conversation["sender_identity"])).value());
    // The notes' observation: our first message on a session made from a pkmsg is a msg.
    auto reply = bob_.encrypt(sender, testing::padded("reply"));
    ASSERT_TRUE(reply) << reply.error().to_string();
    EXPECT_EQ(reply->type, MessageType::msg);
  }
  EXPECT_FALSE(store_.contains_pre_key(pre_key_.id).value()) << "the one-time pre-key was not consumed";
}

TEST_F(BaileysInteropTest, SenderKeyMessagesFromBaileys6And7Decrypt) {
  ASSERT_EQ(vectors_["groups"].size(), 2u);
  for (const json& group : vectors_["groups"]) {
    SCOPED_TRACE(group["implementation"].get<std::string>());
    std::string jid = group["group"];
    Address sender = address_of(group["sender"]);
    auto processed = bob_.process_sender_key_distribution(jid, sender, hex(group["skdm"]));
    ASSERT_TRUE(processed) << processed.error().to_string();
    for (const json& message : group["messages"]) {
      auto plain = bob_.decrypt_skmsg(jid, sender, hex(message["ciphertext"]));
      ASSERT_TRUE(plain) << plain.error().to_string();
      EXPECT_EQ(*plain, hex(message["plaintext"]));
    }
    auto replay = bob_.decrypt_skmsg(jid, sender, hex(group["messages"][0]["ciphertext"]));
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().kind, SignalErrc::duplicate_message);
  }
}

}  // namespace
}  // namespace wacrm::signal
