#include <gtest/gtest.h>

#include "net/ws_url.h"

namespace wacrm::net {
namespace {

TEST(WsUrl, DefaultWhatsAppUrl) {
  auto url = parse_ws_url(kWhatsAppWebSocketUrl);
  ASSERT_TRUE(url);
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "web.whatsapp.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/ws/chat");
  EXPECT_EQ(url->host_header(), "web.whatsapp.com");
}

TEST(WsUrl, PortsPathsAndIpv6) {
  auto url = parse_ws_url("ws://127.0.0.1:8080/ws/chat?x=1");
  ASSERT_TRUE(url);
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/ws/chat?x=1");
  EXPECT_EQ(url->host_header(), "127.0.0.1:8080");

  auto v6 = parse_ws_url("ws://[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/");
  EXPECT_EQ(v6->host_header(), "[::1]:9000");

  auto local = parse_ws_url("ws://LocalHost/ws");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->port, 80);
}

TEST(WsUrl, PlainWsOnlyForLoopback) {
  for (const char* url : {"ws://web.whatsapp.com/ws/chat", "ws://10.0.0.1:80/", "ws://[2001:db8::1]/",
                          "ws://127.0.0.1.example.com/"}) {
    auto r = parse_ws_url(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_NE(r.error().message.find("loopback"), std::string::npos) << r.error().message;
  }
  EXPECT_TRUE(parse_ws_url("ws://127.45.6.7:1/"));
}

TEST(WsUrl, MalformedUrls) {
  for (const char* url : {"http://example.com/", "wss://", "wss://host:0/", "wss://host:70000/", "wss://host:12a/",
                          "wss://[::1/", "wss://user@host/", "wss://host:/"}) {
    auto r = parse_ws_url(url);
    EXPECT_FALSE(r) << url;
    if (!r) {
      EXPECT_NE(r.error().message.find(url), std::string::npos) << r.error().message;
    }
  }
}

}  // namespace
}  // namespace wacrm::net
