// The whatsapp.* configuration keys as lib/wa's ClientConfig: URL, trusted
// Noise root key, version triple and the device name the phone shows.
#pragma once

#include "base/error.h"
#include "config/daemon_config.h"
#include "wa/client_config.h"

namespace wacrm::daemon {

// Errc::invalid_argument naming the key and quoting the bad value.
Result<wa::ClientConfig> whatsapp_client_config(const config::DaemonConfig& config);

}  // namespace wacrm::daemon
