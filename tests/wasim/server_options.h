// Everything `wasim serve` can be told (README "Running it").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/option_table.h"
#include "wa/client_config.h"

namespace wacrm::wasim {

// The version triple (UserAgent.appVersion), as our client keeps it.
using wa::AppVersion;
bool older_than(const AppVersion& version, const AppVersion& minimum);

struct ServerOptions {
  std::string listen = "127.0.0.1:0";
  std::string admin = "127.0.0.1:0";
  std::optional<std::string> scenario;
  std::optional<std::string> state;
  std::chrono::milliseconds first_frame_delay{50};
  AppVersion min_version{2, 3000, 1000000000};
  std::chrono::milliseconds idle_timeout{90000};
  std::chrono::milliseconds handshake_timeout{20000};
  std::chrono::milliseconds ref_first_ttl{60000};
  std::chrono::milliseconds ref_ttl{20000};
  int refs = 6;
  std::chrono::milliseconds key_share_hold{100};
  double stanza_rate = 200;
  double stanza_burst = 2000;
  std::string log_level = "info";
};

// The flags of `wasim serve` (one table: parser, --help and defaults).
const config::OptionTable& serve_option_table();
// Parses the arguments after "serve". Sets `help` (and returns defaults) for --help.
Result<ServerOptions> parse_serve_options(const std::vector<std::string>& args, bool& help);

}  // namespace wacrm::wasim
