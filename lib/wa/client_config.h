// How our companion presents itself and where it connects: the settings the
// daemon reads from its whatsapp.* configuration keys, with the real
// WhatsApp Web values as defaults (protocol notes 01 §1, §2.5, §3, §8.4) and
// the timings of the session (QR rotation, keep-alive, backoff).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "noise/protocol_constants.h"

namespace wacrm::wa {

// The appVersion triple, e.g. 2.3000.1045649367.
struct AppVersion {
  std::uint32_t primary = 2;
  std::uint32_t secondary = 3000;
  std::uint32_t tertiary = 1045649367;

  std::string to_string() const;
  friend bool operator==(const AppVersion&, const AppVersion&) = default;
};

// "2.3000.1045649367" -> AppVersion. Errc::invalid_argument quoting the text
// otherwise (three dot-separated unsigned 32-bit numbers).
Result<AppVersion> parse_app_version(std::string_view text);

// 64 hex digits -> a 32-byte public key; Errc::invalid_argument otherwise.
Result<noise::PublicKey> parse_public_key_hex(std::string_view hex);

// DeviceProps.platformType values we may announce (proto/wa/client_payload.proto).
enum class CompanionPlatform : int { unknown = 0, chrome = 1, firefox = 2, safari = 5, edge = 6, desktop = 7 };

// The config key that sets the version: named in the "client outdated" error.
inline constexpr std::string_view kVersionConfigKey = "whatsapp.version";

struct ClientConfig {
  std::string url = "wss://web.whatsapp.com/ws/chat";
  noise::PublicKey root_key = noise::kWhatsAppRootKey;
  AppVersion version;
  // DeviceProps.os: with the platform, what the phone lists under "Linked devices".
  std::string device_name = "wacrm";
  CompanionPlatform platform = CompanionPlatform::chrome;
  // Token dictionary announced in the intro header.
  std::uint8_t dict_version = 3;
  // ClientPayload fields whose meaning is undocumented (notes 01 §10): off,
  // as Baileys master sends them.
  bool send_lc = false;
  bool lid_db_migrated = false;

  // Connecting: WebSocket + TLS, and the Noise handshake (each).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(20)};
  // The first pair-device ref is shown this long, each later one ref_ttl (§6.3).
  std::chrono::milliseconds first_ref_ttl{std::chrono::seconds(60)};
  std::chrono::milliseconds ref_ttl{std::chrono::seconds(20)};
  // An iq without answer fails after this long (§7.1).
  std::chrono::milliseconds iq_timeout{std::chrono::seconds(60)};
  // Keep-alive (§7.5): a ping every 20–30 s, 10 s to answer; the connection is
  // dead when nothing at all arrived for dead_after or two pings failed.
  std::chrono::milliseconds ping_interval_min{std::chrono::seconds(20)};
  std::chrono::milliseconds ping_interval_max{std::chrono::seconds(30)};
  std::chrono::milliseconds ping_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds dead_after{std::chrono::seconds(45)};
  // Reconnect backoff (§8.3): exponential from backoff_initial, capped, with jitter.
  std::chrono::milliseconds backoff_initial{std::chrono::seconds(1)};
  std::chrono::milliseconds backoff_max{std::chrono::seconds(60)};
};

}  // namespace wacrm::wa
