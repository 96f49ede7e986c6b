#include "wasim/server_options.h"

#include <array>
#include <map>
#include <tuple>

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/variables_map.hpp>

namespace wacrm::wasim {

namespace po = boost::program_options;
using config::OptionSpec;
using config::OptionType;

namespace {

constexpr std::array<OptionSpec, 15> kServeOptions = {{
    {"listen", OptionType::string, "127.0.0.1:0", "WebSocket address (loopback only; port 0: the kernel picks)"},
    {"admin", OptionType::string, "127.0.0.1:0", "admin HTTP address (loopback only)"},
    {"scenario", OptionType::string, "", "scenario file (JSON) to create accounts and conversations from"},
    {"state", OptionType::string, "", "state file (JSON) keeping keys, accounts and companions across restarts"},
    {"first-frame-delay-ms", OptionType::integer, "50", "pause between ClientFinish and the first frame", {}, 0, 10000},
    {"min-version", OptionType::string, "2.3000.1000000000", "oldest client version accepted (older: failure 405)"},
    {"idle-timeout-ms", OptionType::integer, "90000", "close a connection silent this long", {}, 100, 86400000},
    {"handshake-timeout-ms", OptionType::integer, "20000", "close a connection that does not finish the handshake", {}, 100, 600000},
    {"ref-first-ttl-ms", OptionType::integer, "60000", "lifetime of the first pairing ref", {}, 100, 3600000},
    {"ref-ttl-ms", OptionType::integer, "20000", "lifetime of each further pairing ref", {}, 100, 3600000},
    {"refs", OptionType::integer, "6", "refs per pair-device iq", {}, 1, 50},
    {"key-share-hold-ms", OptionType::integer, "100", "hold <ib><offline/> this long after the key share is confirmed", {}, 0, 60000},
    {"stanza-rate", OptionType::integer, "200", "stanzas per second a client may send on average", {}, 1, 1000000},
    {"stanza-burst", OptionType::integer, "2000", "stanzas a client may send in a burst", {}, 1, 1000000},
    {"log-level", OptionType::choice, "info", "stderr log level", "trace|debug|info|warn|error|off"},
}};

}  // namespace

const config::OptionTable& serve_option_table() {
  static const config::OptionTable table(kServeOptions);
  return table;
}

Result<ServerOptions> parse_serve_options(const std::vector<std::string>& args, bool& help) {
  const auto& table = serve_option_table();
  po::options_description description = table.description("wasim serve options");
  description.add_options()("help", "show this help");
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(description).run(), values);
  } catch (const po::error& e) {
    return make_error(Errc::invalid_argument, e.what());
  }
  help = values.count("help") > 0;
  std::map<std::string, std::string> command_line;
  for (const auto& spec : table.specs())
    if (values.count(std::string(spec.key))) command_line[std::string(spec.key)] = values[std::string(spec.key)].as<std::string>();
  auto settings = WACRM_TRY(table.resolve(std::nullopt, command_line));
  auto ms = [&](const char* key) { return std::chrono::milliseconds(config::as_int(settings.at(key))); };

  ServerOptions options;
  options.listen = settings.at("listen").value;
  options.admin = settings.at("admin").value;
  if (!settings.at("scenario").value.empty()) options.scenario = settings.at("scenario").value;
  if (!settings.at("state").value.empty()) options.state = settings.at("state").value;
  options.first_frame_delay = ms("first-frame-delay-ms");
  options.min_version = WACRM_TRY(wa::parse_app_version(settings.at("min-version").value));
  options.idle_timeout = ms("idle-timeout-ms");
  options.handshake_timeout = ms("handshake-timeout-ms");
  options.ref_first_ttl = ms("ref-first-ttl-ms");
  options.ref_ttl = ms("ref-ttl-ms");
  options.refs = static_cast<int>(config::as_int(settings.at("refs")));
  options.key_share_hold = ms("key-share-hold-ms");
  options.stanza_rate = static_cast<double>(config::as_int(settings.at("stanza-rate")));
  options.stanza_burst = static_cast<double>(config::as_int(settings.at("stanza-burst")));
  options.log_level = settings.at("log-level").value;
  return options;
}

bool older_than(const AppVersion& version, const AppVersion& minimum) {
  return std::tie(version.primary, version.secondary, version.tertiary) <
         std::tie(minimum.primary, minimum.secondary, minimum.tertiary);
}

}  // namespace wacrm::wasim
