#include "wa/pairing_qr.h"

#include <openssl/evp.h>

namespace wacrm::wa {

std::string_view qr_platform_id(CompanionPlatform platform) {
  switch (platform) {
    case CompanionPlatform::chrome: return "1";
    case CompanionPlatform::edge: return "2";
    case CompanionPlatform::firefox: return "3";
    case CompanionPlatform::safari: return "6";
    default: return "9";  // "other web client": what whatsmeow sends for a WEB user agent
  }
}

std::string base64_encode(ByteView bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string qr_string(std::string_view ref, ByteView noise_public, ByteView identity_public, ByteView adv_secret,
                      CompanionPlatform platform) {
  std::string out(kQrUrlPrefix);
  out += ref;
  out += ',';
  out += base64_encode(noise_public);
  out += ',';
  out += base64_encode(identity_public);
  out += ',';
  out += base64_encode(adv_secret);
  out += ',';
  out += qr_platform_id(platform);
  return out;
}

std::string qr_string(std::string_view ref, const store::DeviceCredentials& c, CompanionPlatform platform) {
  return qr_string(ref, c.noise_public, c.identity.identity_public, c.adv_secret, platform);
}

QrRotation::QrRotation(std::vector<std::string> refs, Clock::time_point start, std::chrono::milliseconds first_ttl,
                       std::chrono::milliseconds ttl)
    : refs_(std::move(refs)), start_(start), first_ttl_(first_ttl), ttl_(ttl) {}

QrRotation::Clock::time_point QrRotation::ends_at() const {
  if (refs_.empty()) return start_;
  return start_ + first_ttl_ + ttl_ * static_cast<long>(refs_.size() - 1);
}

std::optional<QrRotation::Shown> QrRotation::at(Clock::time_point now) const {
  auto expires = start_ + first_ttl_;
  for (std::size_t i = 0; i < refs_.size(); ++i) {
    if (now < expires) return Shown{i, refs_[i], expires};
    expires += ttl_;
  }
  return std::nullopt;
}

}  // namespace wacrm::wa
