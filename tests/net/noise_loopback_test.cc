// The end-to-end requirement: a full Noise XX handshake between our
// initiator (async_noise_connect) and our responder (async_noise_accept) over
// a real loopback WebSocket, then binary nodes (lib/wire) both ways. Plus the
// ways it must fail: wrong root key, expired certificate, a server that never
// answers, frames split and joined across WebSocket messages, the bounded
// write queue and a clean close.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <optional>

#include "io_test_util.h"
#include "net/noise_client.h"
#include "net/noise_server.h"
#include "net/ws_server.h"
#include "noise/cert_chain.h"
#include "noise/responder_handshake.h"
#include "noise/transport_cipher.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"

namespace wacrm::net {
namespace {

using testing::run_until;

constexpr std::uint64_t kNow = 1'750'000'000;

noise::KeyPair fresh() { return noise::KeyPair::generate().value(); }

// A wasim-like server: every WebSocket connection goes through the Noise
// responder; accepted handshakes are collected.
struct NoiseServer {
  noise::KeyPair root = fresh();
  noise::KeyPair server_static = fresh();
  std::shared_ptr<WsListener> listener;
  std::vector<AcceptedNoiseConnection> accepted;
  std::vector<Error> errors;

  NoiseServer(boost::asio::io_context& io, NoiseServerOptions options = {}) {
    auto intermediate = fresh();
    auto chain = noise::make_cert_chain(root.private_key(), intermediate, server_static.public_key(),
                                        {.intermediate_serial = 3, .leaf_serial = 4, .not_before = kNow - 3600,
                                         .not_after = kNow + 3600})
                     .value();
    listener = WsListener::create(io, {}).value();
    listener->start([this, &io, chain, options](std::shared_ptr<WsServerConnection> conn) {
      async_noise_accept(io, conn, NoiseServerIdentity{server_static, chain}, options,
                         [this](Result<AcceptedNoiseConnection> r) {
                           if (r) accepted.push_back(std::move(*r));
                           else errors.push_back(r.error());
                         });
    });
  }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(listener->port()) + "/ws/chat"; }
};

struct Client {
  std::optional<Result<NoiseConnection>> result;
};

NoiseClientOptions client_options(const NoiseServer& server, std::uint8_t dict_version = 3) {
  NoiseClientOptions options;
  options.ws.url = server.url();
  options.dict_version = dict_version;
  options.root_key = server.root.public_key();
  options.clock = [] { return kNow; };
  return options;
}

std::optional<Result<NoiseConnection>> connect(boost::asio::io_context& io, NoiseClientOptions options,
                                               const noise::KeyPair& noise_static, Bytes payload) {
  std::optional<Result<NoiseConnection>> result;
  async_noise_connect(io, std::move(options), noise_static, std::move(payload),
                      [&](Result<NoiseConnection> r) { result = std::move(r); });
  run_until(io, [&] { return result.has_value(); });
  return result;
}

wire::Node ping(std::string id) {
  wire::Node iq("iq", {{"id", std::move(id)}, {"to", "@s.whatsapp.net"}, {"type", "get"}, {"xmlns", "w:p"}});
  iq.content = wire::Node::Children{wire::Node("ping")};
  return iq;
}

class NoiseLoopback : public ::testing::TestWithParam<std::uint8_t> {};

TEST_P(NoiseLoopback, HandshakeThenNodesBothWays) {
  const std::uint8_t dv = GetParam();
  const auto version = wire::dict_version_from_byte(dv).value();
  boost::asio::io_context io;
  NoiseServer server(io);
  auto noise_static = fresh();
  Bytes payload = {0x08, 0x87, 0x84, 0xb4, 0xf7, 0x39};  // ClientPayload{username}

  auto client = connect(io, client_options(server, dv), noise_static, payload);
  ASSERT_TRUE(client && *client) << (client ? client->error().to_string() : "timed out");
  ASSERT_TRUE(run_until(io, [&] { return !server.accepted.empty(); }));
  auto& accepted = server.accepted.front();
  EXPECT_EQ(accepted.dict_version, dv);
  EXPECT_EQ(accepted.client_static, noise_static.public_key());
  EXPECT_EQ(accepted.client_payload, payload);
  EXPECT_EQ((*client)->server_certificate.leaf.key, server.server_static.public_key());
  EXPECT_EQ((*client)->server_certificate.leaf.serial, 4u);

  std::vector<wire::Node> at_server, at_client;
  std::optional<Error> client_closed, server_closed;
  auto server_socket = accepted.socket;
  auto client_socket = (*client)->socket;
  server_socket->start(
      [&](Bytes plain) {
        auto node = wire::decode_frame_payload(plain, version);
        ASSERT_TRUE(node) << node.error().to_string();
        at_server.push_back(*node);
        wire::Node result("iq", {{"id", std::string(node->attr_or("id"))}, {"type", "result"}});
        ASSERT_TRUE(server_socket->async_send_frame(wire::encode_frame_payload(result, version)));
      },
      [&](const Error& e) { server_closed = e; });
  client_socket->start(
      [&](Bytes plain) {
        auto node = wire::decode_frame_payload(plain, version);
        ASSERT_TRUE(node) << node.error().to_string();
        at_client.push_back(*node);
      },
      [&](const Error& e) { client_closed = e; });

  // <success> pushed by the server first, as a real server does.
  wire::Node success("success", {{"t", "1750000000"}, {"lid", "123456789012345:12@lid"}});
  ASSERT_TRUE(server_socket->async_send_frame(wire::encode_frame_payload(success, version)));
  int sent_callbacks = 0;
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(client_socket->async_send_frame(wire::encode_frame_payload(ping("p" + std::to_string(i)), version),
                                                [&](Status s) {
                                                  EXPECT_TRUE(s);
                                                  ++sent_callbacks;
                                                }));
  ASSERT_TRUE(run_until(io, [&] { return at_server.size() == 5 && at_client.size() == 6; }));
  EXPECT_EQ(sent_callbacks, 5);
  EXPECT_EQ(at_server[3], ping("p3"));
  EXPECT_EQ(at_client[0], success);
  EXPECT_EQ(at_client[0].attr_or("lid"), "123456789012345:12@lid");
  EXPECT_EQ(at_client[5].attr_or("id"), "p4");
  EXPECT_EQ(at_client[5].attr_or("type"), "result");

  // Clean close from the client: it sees "cancelled", the server "peer closed".
  client_socket->close();
  EXPECT_FALSE(client_socket->async_send_frame(Bytes{0}));
  ASSERT_TRUE(run_until(io, [&] { return client_closed && server_closed; }));
  EXPECT_EQ(client_closed->code, Errc::cancelled);
  EXPECT_EQ(server_closed->code, Errc::unavailable) << server_closed->to_string();
}

INSTANTIATE_TEST_SUITE_P(DictVersions, NoiseLoopback, ::testing::Values(3, 2),
                         [](const auto& info) { return "v" + std::to_string(info.param); });

TEST(NoiseLoopbackFailures, WrongRootKeyIsRefusedByTheClient) {
  boost::asio::io_context io;
  NoiseServer server(io);
  auto options = client_options(server);
  options.root_key = fresh().public_key();
  auto client = connect(io, options, fresh(), Bytes{1});
  ASSERT_TRUE(client);
  ASSERT_FALSE(*client);
  EXPECT_EQ(client->error().code, Errc::crypto);
  EXPECT_NE(client->error().message.find("server certificate"), std::string::npos) << client->error().message;
  EXPECT_NE(client->error().message.find("pinned root key"), std::string::npos) << client->error().message;
  // The server never got a ClientFinish: the client hung up instead.
  ASSERT_TRUE(run_until(io, [&] { return !server.errors.empty(); }));
  EXPECT_TRUE(server.accepted.empty());
}

TEST(NoiseLoopbackFailures, ExpiredCertificateIsRefused) {
  boost::asio::io_context io;
  NoiseServer server(io);
  auto options = client_options(server);
  options.clock = [] { return kNow + 7200; };
  auto client = connect(io, options, fresh(), Bytes{1});
  ASSERT_TRUE(client);
  ASSERT_FALSE(*client);
  EXPECT_EQ(client->error().code, Errc::protocol);
  EXPECT_NE(client->error().message.find("not valid now"), std::string::npos) << client->error().message;
}

TEST(NoiseLoopbackFailures, SilentServerTimesOutWaitingForServerHello) {
  boost::asio::io_context io;
  auto listener = WsListener::create(io, {}).value();
  std::vector<std::shared_ptr<WsServerConnection>> held;  // accepted, never answered
  listener->start([&](std::shared_ptr<WsServerConnection> c) { held.push_back(c); });
  NoiseClientOptions options;
  options.ws.url = "ws://127.0.0.1:" + std::to_string(listener->port()) + "/ws/chat";
  options.handshake_timeout = std::chrono::milliseconds(300);
  auto client = connect(io, options, fresh(), Bytes{1});
  ASSERT_TRUE(client);
  ASSERT_FALSE(*client);
  EXPECT_EQ(client->error().code, Errc::timeout) << client->error().to_string();
  EXPECT_NE(client->error().message.find("ServerHello"), std::string::npos) << client->error().message;
}

TEST(NoiseLoopbackFailures, ServerRejectsAClientWithoutIntroHeader) {
  boost::asio::io_context io;
  NoiseServer server(io);
  std::optional<Result<std::shared_ptr<MessageStream>>> raw;
  WsClientOptions ws;
  ws.url = server.url();
  async_ws_connect(io, ws, [&](Result<std::shared_ptr<MessageStream>> r) { raw = std::move(r); });
  ASSERT_TRUE(run_until(io, [&] { return raw.has_value(); }));
  ASSERT_TRUE(*raw);
  (**raw)->async_write(Bytes{0x00, 0x00, 0x01, 0x00}, [](Status) {});
  ASSERT_TRUE(run_until(io, [&] { return !server.errors.empty(); }));
  EXPECT_EQ(server.errors.front().code, Errc::malformed);
  EXPECT_NE(server.errors.front().message.find("bad intro header"), std::string::npos)
      << server.errors.front().message;
}

// The server side done by hand over a raw WsServerConnection, so the test
// controls how frames are cut into WebSocket messages.
TEST(NoiseLoopbackFraming, ClientReassemblesFramesSplitAndJoinedAcrossMessages) {
  boost::asio::io_context io;
  auto root = fresh();
  auto server_static = fresh();
  auto chain = noise::make_cert_chain(root.private_key(), fresh(), server_static.public_key(),
                                      {.not_before = 0, .not_after = kNow * 2})
                   .value();
  auto listener = WsListener::create(io, {}).value();
  std::shared_ptr<WsServerConnection> conn;
  listener->start([&](std::shared_ptr<WsServerConnection> c) { conn = c; });

  NoiseClientOptions options;
  options.ws.url = "ws://127.0.0.1:" + std::to_string(listener->port()) + "/";
  options.root_key = root.public_key();
  std::optional<Result<NoiseConnection>> client;
  async_noise_connect(io, options, fresh(), Bytes{9}, [&](Result<NoiseConnection> r) { client = std::move(r); });
  ASSERT_TRUE(run_until(io, [&] { return conn != nullptr; }));

  auto read_one = [&]() {
    std::optional<Result<Bytes>> got;
    conn->async_read([&](Result<Bytes> r) { got = std::move(r); });
    EXPECT_TRUE(run_until(io, [&] { return got.has_value(); }));
    return got ? std::move(*got) : Result<Bytes>(make_error(Errc::timeout, "no message"));
  };
  auto write_one = [&](Bytes message) {
    bool done = false;
    conn->async_write(std::move(message), [&](Status s) {
      EXPECT_TRUE(s);
      done = true;
    });
    EXPECT_TRUE(run_until(io, [&] { return done; }));
  };

  auto codec = FrameCodec::server();
  auto hello_msg = read_one();
  ASSERT_TRUE(hello_msg);
  ASSERT_TRUE(codec.feed(*hello_msg));
  auto hello = codec.next_frame().value();
  ASSERT_TRUE(hello);
  noise::ResponderHandshake responder(*codec.dict_version());
  ASSERT_TRUE(responder.on_client_hello(*hello));
  write_one(codec.encode(responder.server_hello(fresh(), server_static, chain).value()).value());
  auto finish_msg = read_one();
  ASSERT_TRUE(finish_msg);
  ASSERT_TRUE(codec.feed(*finish_msg));
  ASSERT_TRUE(responder.on_client_finish(*codec.next_frame().value()));
  noise::TransportCipher cipher(responder.split().value());
  ASSERT_TRUE(run_until(io, [&] { return client.has_value(); }));
  ASSERT_TRUE(*client) << (*client).error().to_string();

  std::vector<Bytes> received;
  std::optional<Error> closed;
  (*client)->socket->start([&](Bytes plain) { received.push_back(std::move(plain)); },
                           [&](const Error& e) { closed = e; });

  // Three frames: the first two glued into one message together with the
  // first byte of the third's length prefix; the rest of the third in two
  // more messages.
  Bytes stream;
  for (std::uint8_t i = 0; i < 3; ++i) {
    Bytes plain(50 + i, i);
    ASSERT_TRUE(codec.write_header(plain.size() + 16, stream));
    ASSERT_TRUE(cipher.encrypt(plain, stream));
  }
  const std::size_t third = stream.size() - (52 + 16 + 3);
  write_one(Bytes(stream.begin(), stream.begin() + third + 1));
  write_one(Bytes(stream.begin() + third + 1, stream.begin() + third + 10));
  write_one(Bytes(stream.begin() + third + 10, stream.end()));
  ASSERT_TRUE(run_until(io, [&] { return received.size() == 3; }));
  EXPECT_EQ(received[0], Bytes(50, 0));
  EXPECT_EQ(received[2], Bytes(52, 2));

  // Paused: frames that arrive are held back (no frame reaches the handler),
  // then handed over in order on resume.
  (*client)->socket->pause_reading();
  Bytes held;
  for (std::uint8_t i = 3; i < 6; ++i) {
    ASSERT_TRUE(codec.write_header(50 + 16, held));
    ASSERT_TRUE(cipher.encrypt(Bytes(50, i), held));
  }
  write_one(held);
  io.restart();
  io.run_for(std::chrono::milliseconds(100));
  EXPECT_EQ(received.size(), 3u);
  (*client)->socket->resume_reading();
  ASSERT_TRUE(run_until(io, [&] { return received.size() == 6; }));
  EXPECT_EQ(received[3], Bytes(50, 3));
  EXPECT_EQ(received[5], Bytes(50, 5));

  // A tampered frame ends the connection with a crypto error.
  Bytes bad;
  ASSERT_TRUE(codec.write_header(5 + 16, bad));
  ASSERT_TRUE(cipher.encrypt(Bytes(5, 7), bad));
  bad.back() ^= 1;
  write_one(bad);
  ASSERT_TRUE(run_until(io, [&] { return closed.has_value(); }));
  EXPECT_EQ(closed->code, Errc::crypto) << closed->to_string();
}

TEST(NoiseLoopbackQueue, WriteQueueIsBounded) {
  boost::asio::io_context io;
  NoiseServer server(io);
  auto options = client_options(server);
  options.socket.max_queued_frames = 3;
  auto client = connect(io, options, fresh(), Bytes{1});
  ASSERT_TRUE(client && *client);
  auto socket = (*client)->socket;
  socket->start([](Bytes) {}, [](const Error&) {});
  // Without running the io_context nothing is written: the fourth frame is
  // refused at once.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(socket->async_send_frame(Bytes{0, 1}));
  auto fourth = socket->async_send_frame(Bytes{0, 1});
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, Errc::unavailable);
  EXPECT_NE(fourth.error().message.find("queue is full"), std::string::npos);
  ASSERT_TRUE(run_until(io, [&] { return socket->queued_frames() == 0; }));
  EXPECT_TRUE(socket->async_send_frame(Bytes{0, 1}));
  auto too_big = socket->async_send_frame(Bytes(kMaxFrameSize, 0));
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, Errc::too_large);
}

}  // namespace
}  // namespace wacrm::net
