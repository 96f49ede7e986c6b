#include "whatsapp_config.h"

namespace wacrm::daemon {

Result<wa::ClientConfig> whatsapp_client_config(const config::DaemonConfig& config) {
  wa::ClientConfig out;
  out.url = config.whatsapp_url;
  auto root = wa::parse_public_key_hex(config.whatsapp_noise_root_key);
  if (!root) return make_error(Errc::invalid_argument, "whatsapp.noise-root-key: " + root.error().message);
  out.root_key = *root;
  auto version = wa::parse_app_version(config.whatsapp_version);
  if (!version) return make_error(Errc::invalid_argument, std::string(wa::kVersionConfigKey) + ": " + version.error().message);
  out.version = *version;
  if (config.whatsapp_device_name.empty())
    return make_error(Errc::invalid_argument, "whatsapp.device-name must not be empty");
  out.device_name = config.whatsapp_device_name;
  return out;
}

}  // namespace wacrm::daemon
