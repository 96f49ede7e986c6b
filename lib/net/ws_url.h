// WebSocket URLs as the client accepts them: wss://host[:port][/path], or
// ws://... only for loopback hosts (tests, wasim). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace wacrm::net {

inline constexpr std::string_view kWhatsAppWebSocketUrl = "wss://web.whatsapp.com/ws/chat";

struct WsUrl {
  bool tls = true;
  std::string host;  // without IPv6 brackets
  std::uint16_t port = 443;
  std::string target = "/";  // path and query

  // "host:port" as the Host header wants it (brackets around IPv6).
  std::string host_header() const;
};

// Parses and applies the loopback rule: a ws:// URL is refused with
// Errc::invalid_argument unless its host is "localhost" or a loopback IP
// literal (127.0.0.0/8, ::1).
Result<WsUrl> parse_ws_url(std::string_view url);

// True for "localhost" and loopback IP literals.
bool is_loopback_host(std::string_view host);

}  // namespace wacrm::net
