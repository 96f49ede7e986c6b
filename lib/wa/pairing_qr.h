// What the QR code shows while a new companion waits to be scanned
// (protocol notes 01 §6.2, §6.3): the string built from a pair-device ref and
// our keys, and which ref is current as time passes. Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "store/credentials_store.h"
#include "wa/client_config.h"

namespace wacrm::wa {

inline constexpr std::string_view kQrUrlPrefix = "https://wa.me/settings/linked_devices#";

// The platform id the QR ends with, derived from DeviceProps.platformType as
// whatsmeow does (Chrome 1, Edge 2, Firefox 3, Safari 6, else web client 9).
std::string_view qr_platform_id(CompanionPlatform platform);

// "https://wa.me/settings/linked_devices#ref,noise,identity,adv,platform":
// the ref as-is, the keys and the adv secret in standard base64 with padding.
std::string qr_string(std::string_view ref, ByteView noise_public, ByteView identity_public, ByteView adv_secret,
                      CompanionPlatform platform);
std::string qr_string(std::string_view ref, const store::DeviceCredentials& credentials,
                      CompanionPlatform platform);

// Standard base64 with padding.
std::string base64_encode(ByteView bytes);

// The refs of one pair-device iq over time: the first is shown for
// first_ttl, each later one for ttl; after the last, pairing has timed out.
class QrRotation {
 public:
  using Clock = std::chrono::steady_clock;

  struct Shown {
    std::size_t index = 0;
    std::string ref;
    Clock::time_point expires_at;
  };

  QrRotation(std::vector<std::string> refs, Clock::time_point start, std::chrono::milliseconds first_ttl,
             std::chrono::milliseconds ttl);

  // The ref to show at `now`; nullopt once every ref has expired.
  std::optional<Shown> at(Clock::time_point now) const;
  // When the last ref expires.
  Clock::time_point ends_at() const;
  std::size_t size() const { return refs_.size(); }

 private:
  std::vector<std::string> refs_;
  Clock::time_point start_;
  std::chrono::milliseconds first_ttl_;
  std::chrono::milliseconds ttl_;
};

}  // namespace wacrm::wa
