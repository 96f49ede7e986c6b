// Our initiator against our responder in memory, and what each does with bad
// or out-of-order input.
#include <gtest/gtest.h>

#include "noise/cert_chain.h"
#include "noise/handshake_messages.h"
#include "noise/initiator_handshake.h"
#include "noise/responder_handshake.h"
#include "noise/transport_cipher.h"
#include "noise_test_util.h"

namespace wacrm::noise {
namespace {

using testing::fresh_key_pair;
using testing::hex;

struct Parties {
  KeyPair client_static = fresh_key_pair();
  KeyPair server_static = fresh_key_pair();
  KeyPair root = fresh_key_pair();
  KeyPair intermediate = fresh_key_pair();
  Bytes payload = hex("0801120a");
};

TEST(Handshake, BothSidesAgreeAndExchangeFrames) {
  Parties p;
  auto chain = make_cert_chain(p.root.private_key(), p.intermediate, p.server_static.public_key(),
                               {.intermediate_serial = 7, .leaf_serial = 8, .not_before = 100, .not_after = 200});
  ASSERT_TRUE(chain);

  InitiatorHandshake client(3);
  ResponderHandshake server(3);
  auto client_hello = client.start(fresh_key_pair());
  ASSERT_TRUE(client_hello);
  ASSERT_TRUE(server.on_client_hello(*client_hello));
  auto server_hello = server.server_hello(fresh_key_pair(), p.server_static, *chain);
  ASSERT_TRUE(server_hello);
  auto info = client.on_server_hello(*server_hello);
  ASSERT_TRUE(info) << info.error().to_string();
  EXPECT_EQ(info->server_static, p.server_static.public_key());
  auto verified = verify_cert_chain(info->cert_chain, p.root.public_key(), info->server_static, 150);
  ASSERT_TRUE(verified) << verified.error().to_string();
  EXPECT_EQ(verified->leaf.serial, 8u);

  auto finish = client.client_finish(p.client_static, p.payload);
  ASSERT_TRUE(finish);
  auto finish_info = server.on_client_finish(*finish);
  ASSERT_TRUE(finish_info) << finish_info.error().to_string();
  EXPECT_EQ(finish_info->client_static, p.client_static.public_key());
  EXPECT_EQ(finish_info->client_payload, p.payload);
  EXPECT_EQ(client.state().hash(), server.state().hash());

  auto client_keys = client.split();
  auto server_keys = server.split();
  ASSERT_TRUE(client_keys && server_keys);
  EXPECT_TRUE(client_keys->send == server_keys->receive);
  EXPECT_TRUE(client_keys->receive == server_keys->send);
  EXPECT_FALSE(client_keys->send == client_keys->receive);

  TransportCipher client_cipher(*client_keys);
  TransportCipher server_cipher(*server_keys);
  for (int i = 0; i < 3; ++i) {
    Bytes up = {0x00, static_cast<std::uint8_t>(i)};
    auto wire_up = client_cipher.encrypt(up);
    ASSERT_TRUE(wire_up);
    EXPECT_EQ(server_cipher.decrypt(*wire_up).value(), up);
    Bytes down = {0x00, 0xf8, static_cast<std::uint8_t>(i)};
    auto wire_down = server_cipher.encrypt(down);
    ASSERT_TRUE(wire_down);
    EXPECT_EQ(client_cipher.decrypt(*wire_down).value(), down);
  }
}

// Runs a handshake up to the client's ServerHello step with the given frame
// transformation applied to the ServerHello.
Result<ServerHelloInfo> client_sees(Bytes (*tamper)(Bytes)) {
  Parties p;
  InitiatorHandshake client(3);
  ResponderHandshake server(3);
  auto hello = client.start(fresh_key_pair()).value();
  EXPECT_TRUE(server.on_client_hello(hello));
  auto server_hello = server.server_hello(fresh_key_pair(), p.server_static, hex("0a00")).value();
  return client.on_server_hello(tamper(server_hello));
}

TEST(Handshake, TamperedServerStaticFailsToDecrypt) {
  auto r = client_sees([](Bytes frame) {
    auto hello = decode_server_hello(frame).value();
    hello.encrypted_static[0] ^= 1;
    return encode_server_hello(hello);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto);
  EXPECT_NE(r.error().message.find("server static key"), std::string::npos) << r.error().message;
}

TEST(Handshake, TamperedCertificatePayloadFailsToDecrypt) {
  auto r = client_sees([](Bytes frame) {
    auto hello = decode_server_hello(frame).value();
    hello.encrypted_payload.back() ^= 0x80;
    return encode_server_hello(hello);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto);
  EXPECT_NE(r.error().message.find("certificate payload"), std::string::npos) << r.error().message;
}

TEST(Handshake, ReplacedEphemeralBreaksTheHandshake) {
  auto r = client_sees([](Bytes frame) {
    auto hello = decode_server_hello(frame).value();
    hello.ephemeral = fresh_key_pair().public_key();
    return encode_server_hello(hello);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto);
}

TEST(Handshake, LowOrderServerEphemeralIsRefused) {
  auto r = client_sees([](Bytes frame) {
    auto hello = decode_server_hello(frame).value();
    hello.ephemeral.fill(0);  // the all-zero point gives an all-zero DH result
    return encode_server_hello(hello);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto);
  EXPECT_NE(r.error().message.find("X25519"), std::string::npos) << r.error().message;
}

TEST(Handshake, GarbageAndWrongMessagesAreNamed) {
  InitiatorHandshake client(3);
  ASSERT_TRUE(client.start(fresh_key_pair()));
  auto r = client.on_server_hello(hex("ffffffff"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);

  // A failed handshake stays failed.
  auto again = client.on_server_hello(hex("1a00"));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("after a failed step"), std::string::npos) << again.error().message;

  InitiatorHandshake client2(3);
  ASSERT_TRUE(client2.start(fresh_key_pair()));
  // A ClientHello where a ServerHello belongs.
  auto wrong = client2.on_server_hello(encode_client_hello({}));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::protocol);
  EXPECT_NE(wrong.error().message.find("expected a ServerHello"), std::string::npos);
}

TEST(Handshake, OutOfOrderCallsAreRejected) {
  InitiatorHandshake client(3);
  auto early = client.client_finish(fresh_key_pair(), hex("00"));
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message.find("out of order"), std::string::npos);
  EXPECT_FALSE(client.split());

  ResponderHandshake server(3);
  EXPECT_FALSE(server.server_hello(fresh_key_pair(), fresh_key_pair(), hex("00")));
  EXPECT_FALSE(server.on_client_finish(hex("00")));
  EXPECT_FALSE(server.split());
}

TEST(Handshake, ResponderRejectsTamperedClientFinish) {
  Parties p;
  InitiatorHandshake client(3);
  ResponderHandshake server(3);
  ASSERT_TRUE(server.on_client_hello(client.start(fresh_key_pair()).value()));
  auto info = client.on_server_hello(server.server_hello(fresh_key_pair(), p.server_static, hex("00")).value());
  ASSERT_TRUE(info);
  auto finish = decode_client_finish(client.client_finish(p.client_static, p.payload).value()).value();
  finish.encrypted_payload[0] ^= 1;
  auto r = server.on_client_finish(encode_client_finish(finish));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto);
  EXPECT_NE(r.error().message.find("client payload"), std::string::npos) << r.error().message;
}

TEST(HandshakeMessages, LengthChecksNameTheField) {
  ServerHello hello;
  hello.encrypted_static = Bytes(47, 0);
  hello.encrypted_payload = Bytes(16, 0);
  auto r = decode_server_hello(encode_server_hello(hello));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("encrypted static key is 47 bytes"), std::string::npos) << r.error().message;

  hello.encrypted_static = Bytes(48, 0);
  hello.encrypted_payload = Bytes(15, 0);
  r = decode_server_hello(encode_server_hello(hello));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("payload"), std::string::npos) << r.error().message;

  auto ch = decode_client_hello(hex("12030a0101"));  // ephemeral of 1 byte
  ASSERT_FALSE(ch);
  EXPECT_NE(ch.error().message.find("ephemeral key is 1 bytes"), std::string::npos) << ch.error().message;

  auto cf = decode_client_finish(encode_client_finish({Bytes(48, 1), Bytes(3, 1)}));
  ASSERT_FALSE(cf);
  EXPECT_EQ(cf.error().code, Errc::malformed);

  EXPECT_FALSE(decode_client_finish(ByteView()));  // empty HandshakeMessage: no clientFinish
}

}  // namespace
}  // namespace wacrm::noise
