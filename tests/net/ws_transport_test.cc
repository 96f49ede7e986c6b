// WsClient against WsListener over real loopback sockets: plain and TLS,
// headers, binary messages both ways, and the refusals (non-loopback ws://,
// untrusted certificate, wrong host name, no server, silent server).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <optional>

#include "io_test_util.h"
#include "net/ws_client.h"
#include "net/ws_server.h"
#include "test_tls_certificate.h"

namespace wacrm::net {
namespace {

using testing::run_until;

struct Server {
  std::shared_ptr<WsListener> listener;
  std::vector<std::shared_ptr<WsServerConnection>> connections;
  std::vector<Error> failures;
};

Server start_server(boost::asio::io_context& io, WsServerOptions options = {}) {
  Server server;
  auto listener = WsListener::create(io, std::move(options));
  if (!listener) throw std::runtime_error(listener.error().to_string());
  server.listener = *listener;
  return server;
}

Server start_tls_server(boost::asio::io_context& io, const testing::TestCertificate& cert) {
  WsServerOptions options;
  options.tls_certificate_pem = cert.certificate_pem;
  options.tls_private_key_pem = cert.private_key_pem;
  return start_server(io, options);
}

void accept_into(Server& server) {
  server.listener->start([&server](std::shared_ptr<WsServerConnection> c) { server.connections.push_back(c); },
                         [&server](const Error& e) { server.failures.push_back(e); });
}

std::optional<Result<std::shared_ptr<MessageStream>>> connect(boost::asio::io_context& io, WsClientOptions options) {
  std::optional<Result<std::shared_ptr<MessageStream>>> result;
  async_ws_connect(io, std::move(options), [&](Result<std::shared_ptr<MessageStream>> r) { result = std::move(r); });
  run_until(io, [&] { return result.has_value(); });
  return result;
}

std::string local_url(const Server& s, const char* scheme = "ws", const char* host = "127.0.0.1") {
  return std::string(scheme) + "://" + host + ":" + std::to_string(s.listener->port()) + "/ws/chat";
}

// Sends one message from `from` and reads it at `to`.
Result<Bytes> relay(boost::asio::io_context& io, MessageStream& from, MessageStream& to, Bytes message) {
  std::optional<Status> written;
  std::optional<Result<Bytes>> read;
  to.async_read([&](Result<Bytes> r) { read = std::move(r); });
  from.async_write(std::move(message), [&](Status s) { written = s; });
  run_until(io, [&] { return written && read; });
  if (!written || !read) return make_error(Errc::timeout, "relay did not complete");
  if (!*written) return std::unexpected(written->error());
  return std::move(*read);
}

TEST(WsTransport, PlainLoopbackExchangesBinaryMessagesAndSendsOrigin) {
  boost::asio::io_context io;
  auto server = start_server(io);
  accept_into(server);
  WsClientOptions options;
  options.url = local_url(server);
  options.user_agent = "wacrm-test";
  auto client = connect(io, options);
  ASSERT_TRUE(client && *client) << (client ? client->error().to_string() : "no result");
  ASSERT_TRUE(run_until(io, [&] { return !server.connections.empty(); }));
  auto& conn = *server.connections.front();
  EXPECT_EQ(conn.request().origin, "https://web.whatsapp.com");
  EXPECT_EQ(conn.request().target, "/ws/chat");
  EXPECT_EQ(conn.request().user_agent, "wacrm-test");

  Bytes up = {0x57, 0x41, 0x06, 0x03, 0x00, 0x00, 0x00};
  auto got = relay(io, *client->value(), conn, up);
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_EQ(*got, up);
  Bytes down(100000, 0x42);  // compressible: goes through permessage-deflate
  auto back = relay(io, conn, *client->value(), down);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, down);

  // Closing from the client: the server's read ends with "peer closed".
  std::optional<Result<Bytes>> server_read;
  conn.async_read([&](Result<Bytes> r) { server_read = std::move(r); });
  bool closed = false;
  client->value()->async_close([&] { closed = true; });
  ASSERT_TRUE(run_until(io, [&] { return closed && server_read; }));
  ASSERT_FALSE(*server_read);
  EXPECT_EQ(server_read->error().code, Errc::unavailable);
  EXPECT_NE(server_read->error().message.find("peer closed"), std::string::npos) << server_read->error().message;
}

TEST(WsTransport, ReadLimitRefusesOversizedMessages) {
  boost::asio::io_context io;
  WsServerOptions server_options;
  server_options.read_limit = 1000;
  auto server = start_server(io, server_options);
  accept_into(server);
  WsClientOptions options;
  options.url = local_url(server);
  options.offer_permessage_deflate = false;
  auto client = connect(io, options);
  ASSERT_TRUE(client && *client);
  ASSERT_TRUE(run_until(io, [&] { return !server.connections.empty(); }));
  // The client reads too, so it answers the close frame the server sends
  // when it fails the connection (code 1009, "message too big").
  std::optional<Result<Bytes>> client_read;
  client->value()->async_read([&](Result<Bytes> r) { client_read = std::move(r); });
  auto got = relay(io, *client->value(), *server.connections.front(), Bytes(1001, 1));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::too_large) << got.error().to_string();
  ASSERT_TRUE(run_until(io, [&] { return client_read.has_value(); }));
  ASSERT_FALSE(*client_read);
  EXPECT_NE(client_read->error().message.find("code 1009"), std::string::npos) << client_read->error().message;
}

TEST(WsTransport, PlainWsToANonLoopbackHostIsRefusedBeforeConnecting) {
  boost::asio::io_context io;
  WsClientOptions options;
  options.url = "ws://web.whatsapp.com/ws/chat";
  auto r = connect(io, options);
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, Errc::invalid_argument);
  EXPECT_NE(r->error().message.find("loopback"), std::string::npos);
}

TEST(WsTransport, TlsWithTrustedCertificateAndMatchingName) {
  boost::asio::io_context io;
  auto cert = testing::make_self_signed_certificate("localhost");
  auto server = start_tls_server(io, cert);
  accept_into(server);

  WsClientOptions options;
  options.url = local_url(server, "wss", "localhost");
  options.extra_ca_pem = cert.certificate_pem;
  auto client = connect(io, options);
  ASSERT_TRUE(client && *client) << (client ? client->error().to_string() : "no result");
  ASSERT_TRUE(run_until(io, [&] { return !server.connections.empty(); }));
  EXPECT_EQ(server.connections.front()->request().host, "localhost:" + std::to_string(server.listener->port()));
  auto got = relay(io, *client->value(), *server.connections.front(), Bytes{1, 2, 3});
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_EQ(*got, (Bytes{1, 2, 3}));
}

TEST(WsTransport, TlsRefusesUntrustedAndMisnamedCertificates) {
  boost::asio::io_context io;
  auto cert = testing::make_self_signed_certificate("other.example");
  auto server = start_tls_server(io, cert);
  accept_into(server);

  WsClientOptions untrusted;  // system store only: our test CA is not in it
  untrusted.url = local_url(server, "wss", "localhost");
  auto r1 = connect(io, untrusted);
  ASSERT_TRUE(r1);
  ASSERT_FALSE(*r1);
  EXPECT_EQ(r1->error().code, Errc::unavailable);
  EXPECT_NE(r1->error().message.find("TLS handshake"), std::string::npos) << r1->error().message;

  WsClientOptions misnamed;  // trusted, but issued for other.example
  misnamed.url = local_url(server, "wss", "localhost");
  misnamed.extra_ca_pem = cert.certificate_pem;
  auto r2 = connect(io, misnamed);
  ASSERT_TRUE(r2);
  ASSERT_FALSE(*r2);
  EXPECT_NE(r2->error().message.find("TLS handshake"), std::string::npos) << r2->error().message;
  EXPECT_TRUE(server.connections.empty());
}

TEST(WsTransport, NoServerAndSilentServer) {
  boost::asio::io_context io;
  // Nobody listens on a port we just released.
  std::uint16_t port;
  {
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  WsClientOptions refused;
  refused.url = "ws://127.0.0.1:" + std::to_string(port) + "/";
  auto r1 = connect(io, refused);
  ASSERT_TRUE(r1);
  ASSERT_FALSE(*r1);
  EXPECT_EQ(r1->error().code, Errc::unavailable);

  // A TCP listener that never answers the upgrade: the handshake times out.
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  boost::asio::ip::tcp::socket accepted(io);
  silent.async_accept(accepted, [](const boost::system::error_code&) {});
  WsClientOptions slow;
  slow.url = "ws://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/";
  slow.handshake_timeout = std::chrono::milliseconds(300);
  auto r2 = connect(io, slow);
  ASSERT_TRUE(r2);
  ASSERT_FALSE(*r2);
  EXPECT_EQ(r2->error().code, Errc::timeout) << r2->error().to_string();
}

TEST(WsTransport, ServerReportsFailedUpgrades) {
  boost::asio::io_context io;
  auto server = start_server(io);
  accept_into(server);
  // A plain HTTP request that is no WebSocket upgrade.
  boost::asio::ip::tcp::socket raw(io);
  raw.connect({boost::asio::ip::make_address("127.0.0.1"), server.listener->port()});
  std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::asio::write(raw, boost::asio::buffer(request));
  ASSERT_TRUE(run_until(io, [&] { return !server.failures.empty(); }));
  EXPECT_NE(server.failures.front().message.find("upgrade"), std::string::npos) << server.failures.front().message;
  EXPECT_TRUE(server.connections.empty());
}

}  // namespace
}  // namespace wacrm::net
