// The Noise test vector of protocol notes 01 §2.7 (confirmed there against
// Baileys 6.17.16): every intermediate value, both roles.
#include <gtest/gtest.h>

#include "noise/initiator_handshake.h"
#include "noise/protocol_constants.h"
#include "noise/responder_handshake.h"
#include "noise/transport_cipher.h"
#include "noise_test_util.h"

namespace wacrm::noise {
namespace {

using testing::hex;
using testing::key_pair_hex;

constexpr std::uint8_t kDictVersion = 3;
const char* const kClientEphemeral = "0001010101010101010101010101010101010101010101010101010101010141";
const char* const kClientStatic = "0002020202020202020202020202020202020202020202020202020202020242";
const char* const kServerEphemeral = "0003030303030303030303030303030303030303030303030303030303030343";
const char* const kServerStatic = "0004040404040404040404040404040404040404040404040404040404040444";
const char* const kCertChain = "12040a021000";
const char* const kClientPayload = "0a0b0c";
// Frame payloads (the notes' WS messages without intro and length prefix).
const char* const kClientHelloFrame = "12220a20a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209";
const char* const kServerHelloFrame =
    "1a6c0a205dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef221230fad351e77ceb11c0a3c7a310c840448"
    "31d305ad1677bb5b736eff6f6392eee8cdc9e71ab200c437245ad235dd9ed16941a161734a5d9d6ed8f0034a80a3f7d3dcb672677f8"
    "377666";
const char* const kClientFinishFrame =
    "22470a306f7715b54f3863d7c6b58baab8f65a070327545ff9ce8db3e46a1e6447aaea6f0916c9e9f8184cde058e845562dd5e3a121"
    "333d0396bf71876fa48cfecbe36c8783c9ef72e";
const char* const kClientSendKey = "f10d8344bf33545050601629f58c5b0fe21b913641d2eeb1f5b49d07a5a6cffe";
const char* const kClientReceiveKey = "d18c191f5a5bbf1a8f8b5d4713aebc66fb7335f082e1131687d8354d196d8b85";

TEST(HandshakeVector, KeyPairsMatchThePublishedPublicKeys) {
  EXPECT_EQ(to_hex(key_pair_hex(kClientEphemeral).public_key()),
            "a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209");
  EXPECT_EQ(to_hex(key_pair_hex(kClientStatic).public_key()),
            "ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d59");
  EXPECT_EQ(to_hex(key_pair_hex(kServerEphemeral).public_key()),
            "5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef22");
  EXPECT_EQ(to_hex(key_pair_hex(kServerStatic).public_key()),
            "ac01b2209e86354fb853237b5de0f4fab13c7fcbf433a61c019369617fecf10b");
}

// Replays the initiator's steps on a bare SymmetricState so each intermediate
// value of the notes can be compared where it occurs.
TEST(HandshakeVector, EveryIntermediateValueStepByStep) {
  auto ce = key_pair_hex(kClientEphemeral);
  auto cs = key_pair_hex(kClientStatic);
  auto se = key_pair_hex(kServerEphemeral);
  auto ss = key_pair_hex(kServerStatic);

  SymmetricState st(intro_header(kDictVersion));
  EXPECT_EQ(to_hex(st.hash()), "ffff0c9267310966f1311170c04b38c79504285bf5edf763e5c946492a50a755");
  st.mix_hash(ce.public_key());
  EXPECT_EQ(to_hex(st.hash()), "0019031be1b0506972e4f4e2cb9de0dec5350cb635a4e6b4eea81a50f20d0f11");

  st.mix_hash(se.public_key());
  ASSERT_TRUE(st.mix_key(x25519(ce.private_key(), se.public_key())->view()));
  EXPECT_EQ(to_hex(st.chaining_key().view()), "5789f66cc5e89ee439f84a99aece2001fd5f41d1a9928efbf91eea5c2bd8c2bb");
  ASSERT_NE(st.cipher_key(), nullptr);
  EXPECT_EQ(to_hex(st.cipher_key()->view()), "f2c6f2157482d814c5e348f5347fa68118b2ae67e7f6981f77794f7bbf37532c");

  auto enc_static = st.encrypt_and_hash(ss.public_key());
  ASSERT_TRUE(enc_static);
  ASSERT_TRUE(st.mix_key(x25519(ce.private_key(), ss.public_key())->view()));
  EXPECT_EQ(to_hex(st.chaining_key().view()), "22c2c9a2cbd25a0355b9dbff35f09a22ffb4b9985b28b4064d2d982d823cf1cf");
  auto enc_cert = st.encrypt_and_hash(hex(kCertChain));
  ASSERT_TRUE(enc_cert);
  // The ServerHello's static field: the notes' frame carries these 48 bytes.
  EXPECT_NE(to_hex(hex(kServerHelloFrame)).find(to_hex(*enc_static)), std::string::npos);
  EXPECT_NE(to_hex(hex(kServerHelloFrame)).find(to_hex(*enc_cert)), std::string::npos);

  ASSERT_TRUE(st.encrypt_and_hash(cs.public_key()));
  ASSERT_TRUE(st.mix_key(x25519(cs.private_key(), se.public_key())->view()));
  EXPECT_EQ(to_hex(st.chaining_key().view()), "e8268624138384a4de3bfc1d9f1c0a7d0439004eec30fe958d3f97fffb918fc5");

  auto keys = st.split();
  ASSERT_TRUE(keys);
  EXPECT_EQ(to_hex(keys->first.view()), kClientSendKey);
  EXPECT_EQ(to_hex(keys->second.view()), kClientReceiveKey);
}

TEST(HandshakeVector, InitiatorProducesThePublishedFrames) {
  InitiatorHandshake hs(kDictVersion);
  auto hello = hs.start(key_pair_hex(kClientEphemeral));
  ASSERT_TRUE(hello);
  EXPECT_EQ(to_hex(*hello), kClientHelloFrame);

  auto info = hs.on_server_hello(hex(kServerHelloFrame));
  ASSERT_TRUE(info) << info.error().to_string();
  EXPECT_EQ(to_hex(info->server_static), "ac01b2209e86354fb853237b5de0f4fab13c7fcbf433a61c019369617fecf10b");
  EXPECT_EQ(to_hex(info->cert_chain), kCertChain);
  EXPECT_EQ(to_hex(hs.state().chaining_key().view()),
            "22c2c9a2cbd25a0355b9dbff35f09a22ffb4b9985b28b4064d2d982d823cf1cf");

  auto finish = hs.client_finish(key_pair_hex(kClientStatic), hex(kClientPayload));
  ASSERT_TRUE(finish) << finish.error().to_string();
  EXPECT_EQ(to_hex(*finish), kClientFinishFrame);

  auto keys = hs.split();
  ASSERT_TRUE(keys);
  EXPECT_EQ(to_hex(keys->send.view()), kClientSendKey);
  EXPECT_EQ(to_hex(keys->receive.view()), kClientReceiveKey);

  // First client transport frame: plaintext 00 f8 01 19, counter 0.
  TransportCipher cipher(*keys);
  auto frame = cipher.encrypt(hex("00f80119"));
  ASSERT_TRUE(frame);
  EXPECT_EQ(to_hex(*frame), "d03d082a6b29021c9fbd44ddfb007e0bcaeff74d");
}

TEST(HandshakeVector, ResponderProducesThePublishedFrames) {
  ResponderHandshake hs(kDictVersion);
  ASSERT_TRUE(hs.on_client_hello(hex(kClientHelloFrame)));
  auto hello = hs.server_hello(key_pair_hex(kServerEphemeral), key_pair_hex(kServerStatic), hex(kCertChain));
  ASSERT_TRUE(hello) << hello.error().to_string();
  EXPECT_EQ(to_hex(*hello), kServerHelloFrame);

  auto finish = hs.on_client_finish(hex(kClientFinishFrame));
  ASSERT_TRUE(finish) << finish.error().to_string();
  EXPECT_EQ(to_hex(finish->client_static), "ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d59");
  EXPECT_EQ(to_hex(finish->client_payload), kClientPayload);

  auto keys = hs.split();
  ASSERT_TRUE(keys);
  EXPECT_EQ(to_hex(keys->send.view()), kClientReceiveKey);
  EXPECT_EQ(to_hex(keys->receive.view()), kClientSendKey);

  TransportCipher cipher(*keys);
  auto plain = cipher.decrypt(hex("d03d082a6b29021c9fbd44ddfb007e0bcaeff74d"));
  ASSERT_TRUE(plain) << plain.error().to_string();
  EXPECT_EQ(to_hex(*plain), "00f80119");
}

TEST(HandshakeVector, DictionaryVersionChangesThePrologue) {
  // Same keys under DV 2 (Baileys 6): the ClientHello is identical (it carries
  // only the key) but the hash differs, so the ServerHello of DV 3 no longer
  // decrypts.
  InitiatorHandshake hs(2);
  ASSERT_TRUE(hs.start(key_pair_hex(kClientEphemeral)));
  EXPECT_NE(to_hex(hs.state().hash()), "0019031be1b0506972e4f4e2cb9de0dec5350cb635a4e6b4eea81a50f20d0f11");
  auto info = hs.on_server_hello(hex(kServerHelloFrame));
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, Errc::crypto);
  EXPECT_NE(info.error().message.find("server static key"), std::string::npos) << info.error().message;
}

}  // namespace
}  // namespace wacrm::noise
