// wacrmd's configuration: the option table (daemon_config.cc is the single
// list of keys, types, defaults and help), the typed result, and command-line
// handling (--config, --help, --version, --example-config).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "base/error.h"
#include "config/option_table.h"

namespace wacrm::config {

inline constexpr const char* kDefaultConfigFile = "/etc/wacrm/wacrmd.conf";

struct DaemonConfig {
  // The file the settings came from; unset when none was read.
  std::optional<std::filesystem::path> config_file;

  std::filesystem::path state_dir;
  std::filesystem::path migrations_dir;
  std::string database_url;             // empty: embedded PostgreSQL under state_dir/postgres
  int database_pool_size = 2;
  std::filesystem::path control_socket;
  std::string control_group;
  std::size_t control_max_frame_size = 0;
  std::chrono::seconds control_read_timeout{0};
  std::chrono::seconds shutdown_timeout{0};
  std::string log_level;

  // The WhatsApp client's settings (daemon/whatsapp_config.cc checks them).
  std::string whatsapp_url;
  std::string whatsapp_noise_root_key;
  std::string whatsapp_version;
  std::string whatsapp_device_name;

  // The CRM (crm.*): the zone is the system's when the file leaves it empty.
  std::string crm_time_zone;
  int crm_default_cadence_days = 7;
  std::chrono::seconds crm_pending_overdue_after{0};
  std::chrono::seconds crm_due_check_interval{0};

  // Reserved for later releases; parsed and validated now.
  bool http_enable = false;
  std::string http_listen;
  int http_port = 0;
  bool dbus_enable = false;
  std::string dbus_bus;
};

const OptionTable& daemon_option_table();

// The text of etc/wacrmd.conf (`wacrmd --example-config` prints it).
std::string daemon_example_config();

struct CommandLine {
  enum class Action { run, help, version, example_config };
  Action action = Action::run;
  std::string help_text;                          // Action::help
  std::optional<std::filesystem::path> config_file;
  std::map<std::string, std::string> overrides;   // options given on the command line
};

// Errc::invalid_argument with a message for the user (exit code 2).
Result<CommandLine> parse_daemon_command_line(int argc, const char* const argv[]);

// Reads the config file (when set) under the command-line overrides. Used at
// start-up and again on SIGHUP.
Result<DaemonConfig> load_daemon_config(const CommandLine& command_line);

}  // namespace wacrm::config
