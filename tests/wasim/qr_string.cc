#include "wasim/qr_string.h"

#include <vector>

#include "wasim/base64.h"

namespace wacrm::wasim {

namespace {

constexpr std::string_view kUrlPrefix = "https://wa.me/settings/linked_devices#";

Result<Bytes> key_field(std::string_view text, const char* name) {
  auto bytes = base64_decode(text);
  if (!bytes) return make_error(Errc::invalid_argument, std::string("QR ") + name + " is not base64");
  if (bytes->size() != 32) return make_error(Errc::invalid_argument, std::string("QR ") + name + " is not 32 bytes");
  return *bytes;
}

}  // namespace

Result<QrCode> parse_qr_string(std::string_view text) {
  bool url_form = text.starts_with(kUrlPrefix);
  if (url_form) text.remove_prefix(kUrlPrefix.size());
  std::vector<std::string_view> fields;
  while (true) {
    auto comma = text.find(',');
    fields.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  std::size_t expected = url_form ? 5 : 4;
  if (fields.size() != expected)
    return make_error(Errc::invalid_argument, "QR string has " + std::to_string(fields.size()) + " fields, expected " +
                                                  std::to_string(expected));
  QrCode qr;
  qr.ref = std::string(fields[0]);
  if (qr.ref.empty()) return make_error(Errc::invalid_argument, "QR ref is empty");
  qr.noise_key = WACRM_TRY(key_field(fields[1], "noise key"));
  qr.identity_key = WACRM_TRY(key_field(fields[2], "identity key"));
  qr.adv_secret = WACRM_TRY(key_field(fields[3], "adv secret"));
  if (url_form) {
    qr.platform_id = std::string(fields[4]);
    if (qr.platform_id.empty()) return make_error(Errc::invalid_argument, "QR platform field is empty");
  }
  return qr;
}

}  // namespace wacrm::wasim
