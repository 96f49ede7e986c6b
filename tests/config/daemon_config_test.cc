#include "config/daemon_config.h"
#include "config/time_zone.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/temp_dir.h"
#include "support/test_env.h"

namespace wacrm::config {
namespace {

namespace fs = std::filesystem;

class DaemonConfigTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& text) {
    fs::path file = dir_.path() / "wacrmd.conf";
    std::ofstream(file) << text;
    return file;
  }

  // Parses argv (program name added) and loads the configuration.
  Result<DaemonConfig> load(std::vector<std::string> args) {
    args.insert(args.begin(), "wacrmd");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    auto command_line = WACRM_TRY(parse_daemon_command_line(static_cast<int>(argv.size()), argv.data()));
    return load_daemon_config(command_line);
  }

  testing::TempDir dir_{"wacrm-config-test"};
};

TEST_F(DaemonConfigTest, DefaultsWithoutAFile) {
  auto config = load({"--config", ""});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_FALSE(config->config_file);
  EXPECT_EQ(config->state_dir, "/var/lib/wacrm");
  EXPECT_EQ(config->control_socket, "/run/wacrm/wacrmd.sock");
  EXPECT_EQ(config->control_group, "wacrm");
  EXPECT_EQ(config->database_url, "");
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->control_max_frame_size, 1048576u);
  EXPECT_EQ(config->control_read_timeout, std::chrono::seconds(30));
  EXPECT_EQ(config->dbus_bus, "system");
  EXPECT_FALSE(config->http_enable);
}

TEST_F(DaemonConfigTest, FileSettingsAndCommandLineOverrides) {
  auto file = write(
      "# comment\n"
      "state-dir = /srv/wacrm\n"
      "\n"
      "[database]\n"
      "url = host=/run/postgresql dbname=wacrm   # trailing comment\n"
      "[control]\n"
      "socket = /srv/wacrm/ctl.sock\n"
      "max-frame-size = 4096\n"
      "[log]\n"
      "level = debug\n"
      "[http]\n"
      "enable = yes\n");
  auto config = load({"--config", file.string(), "--log.level=warn"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->config_file, file);
  EXPECT_EQ(config->state_dir, "/srv/wacrm");
  EXPECT_EQ(config->database_url, "host=/run/postgresql dbname=wacrm");
  EXPECT_EQ(config->control_socket, "/srv/wacrm/ctl.sock");
  EXPECT_EQ(config->control_max_frame_size, 4096u);
  EXPECT_EQ(config->log_level, "warn");  // the command line wins
  EXPECT_TRUE(config->http_enable);
}

TEST_F(DaemonConfigTest, UnknownKeyNamesFileAndLine) {
  auto file = write("[control]\nsocket = /x.sock\n\n[log]\nlevl = debug\n");
  auto config = load({"--config", file.string()});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, file.string() + ":5: unknown option 'log.levl'");
}

TEST_F(DaemonConfigTest, MalformedValueNamesFileLineAndKey) {
  auto file = write("[control]\nread-timeout = soon\n");
  auto config = load({"--config", file.string()});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, file.string() + ":2: control.read-timeout: 'soon' is not a whole number");
}

TEST_F(DaemonConfigTest, OutOfRangeAndBadChoiceValues) {
  auto file = write("[http]\nport = 70000\n");
  auto config = load({"--config", file.string()});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find(":2: http.port: 70000 is outside 1..65535"), std::string::npos)
      << config.error().message;

  file = write("[dbus]\nbus = user\n");
  config = load({"--config", file.string()});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find(":2: dbus.bus: 'user' is not one of system|session"), std::string::npos)
      << config.error().message;
}

TEST_F(DaemonConfigTest, LinesThatAreNotSettingsNameTheirLine) {
  auto file = write("state-dir = /a\nthis is not a setting\n");
  auto config = load({"--config", file.string()});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find(file.string() + ":2: expected 'name = value'"), std::string::npos)
      << config.error().message;
}

TEST_F(DaemonConfigTest, ASettingGivenTwiceIsAnError) {
  auto file = write("[log]\nlevel = info\nlevel = debug\n");
  auto config = load({"--config", file.string()});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find(":3: 'log.level' is already set on line 2"), std::string::npos)
      << config.error().message;
}

TEST_F(DaemonConfigTest, BadCommandLineValuesNameTheOption) {
  auto config = load({"--config", "", "--log.level=loud"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("--log.level: 'loud' is not one of"), std::string::npos)
      << config.error().message;

  config = load({"--config", "", "--state-dir=relative/path"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("--state-dir: 'relative/path' is not an absolute path"), std::string::npos);

  config = load({"--no-such-option"});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("no-such-option"), std::string::npos) << config.error().message;
}

TEST_F(DaemonConfigTest, AMissingExplicitFileIsAnError) {
  auto config = load({"--config", (dir_.path() / "absent.conf").string()});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("absent.conf"), std::string::npos);
}

TEST_F(DaemonConfigTest, HelpListsEverySettingWithItsDefault) {
  const char* argv[] = {"wacrmd", "--help"};
  auto command_line = parse_daemon_command_line(2, argv);
  ASSERT_TRUE(command_line);
  ASSERT_EQ(command_line->action, CommandLine::Action::help);
  for (const auto& spec : daemon_option_table().specs()) {
    EXPECT_NE(command_line->help_text.find("--" + std::string(spec.key)), std::string::npos) << spec.key;
  }
  EXPECT_NE(command_line->help_text.find("[default: /run/wacrm/wacrmd.sock]"), std::string::npos);
}

// etc/wacrmd.conf is what `wacrmd --example-config` prints, so the shipped
// file documents every key of the table with its default, and nothing else.
TEST_F(DaemonConfigTest, TheShippedExampleIsTheGeneratedOne) {
  std::ifstream in(fs::path(testing::source_dir()) / "etc" / "wacrmd.conf");
  ASSERT_TRUE(in) << "etc/wacrmd.conf missing";
  std::stringstream shipped;
  shipped << in.rdbuf();
  EXPECT_EQ(shipped.str(), daemon_example_config())
      << "etc/wacrmd.conf is out of date: regenerate it with `wacrmd --example-config > etc/wacrmd.conf`";
}

TEST_F(DaemonConfigTest, TheExampleUncommentedParsesToTheDefaults) {
  // Uncomment every "#key = value" line: the result must load and change nothing
  // (except migrations-dir, whose default depends on the install prefix).
  std::string text = daemon_example_config();
  text = std::regex_replace(text, std::regex("^#([a-z-]+ =)", std::regex::multiline), "$1");
  auto file = write(text);
  auto from_file = load({"--config", file.string()});
  ASSERT_TRUE(from_file) << from_file.error().message;
  auto defaults = load({"--config", ""});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(from_file->state_dir, defaults->state_dir);
  EXPECT_EQ(from_file->database_url, defaults->database_url);
  EXPECT_EQ(from_file->control_socket, defaults->control_socket);
  EXPECT_EQ(from_file->control_group, defaults->control_group);
  EXPECT_EQ(from_file->log_level, defaults->log_level);
  EXPECT_EQ(from_file->whatsapp_noise_root_key, defaults->whatsapp_noise_root_key);
  EXPECT_EQ(from_file->http_port, defaults->http_port);
  EXPECT_EQ(from_file->dbus_bus, defaults->dbus_bus);
  // Every key of the table appeared in the file.
  for (const auto& spec : daemon_option_table().specs()) {
    auto name = std::string(spec.key.substr(spec.key.find('.') == std::string_view::npos ? 0 : spec.key.find('.') + 1));
    EXPECT_NE(text.find("\n" + name + " ="), std::string::npos) << spec.key;
  }
}

// The CRM's keys (issue 7): defaults, a file's values, and bad values
// named with file, line and the accepted forms.
TEST_F(DaemonConfigTest, CrmDefaults) {
  auto config = load({"--config", ""});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->crm_default_cadence_days, 7);
  EXPECT_EQ(config->crm_pending_overdue_after, std::chrono::hours(24));
  EXPECT_EQ(config->crm_due_check_interval, std::chrono::seconds(30));
  // Empty means the system's zone, which is always a known one (UTC at worst).
  EXPECT_FALSE(config->crm_time_zone.empty());
  EXPECT_TRUE(check_time_zone_name(config->crm_time_zone)) << config->crm_time_zone;
}

TEST_F(DaemonConfigTest, CrmSettingsFromTheFile) {
  auto file = write(
      "[crm]\n"
      "time-zone = Europe/Berlin\n"
      "default-cadence-days = 14\n"
      "pending-overdue-after = 1d12h\n"
      "due-check-interval = 2m\n");
  auto config = load({"--config", file.string()});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->crm_time_zone, "Europe/Berlin");
  EXPECT_EQ(config->crm_default_cadence_days, 14);
  EXPECT_EQ(config->crm_pending_overdue_after, std::chrono::hours(36));
  EXPECT_EQ(config->crm_due_check_interval, std::chrono::minutes(2));
  auto overridden = load({"--config", file.string(), "--crm.due-check-interval=1s"});
  ASSERT_TRUE(overridden) << overridden.error().message;
  EXPECT_EQ(overridden->crm_due_check_interval, std::chrono::seconds(1));
}

TEST_F(DaemonConfigTest, BadCrmValuesNameFileLineAndTheAcceptedForms) {
  struct Case {
    std::string line;
    std::string expected;
  };
  for (const auto& c : std::vector<Case>{
           {"time-zone = Mars/Olympus_Mons", "'Mars/Olympus_Mons' is not a time zone"},
           {"time-zone = ../../etc/passwd", "is not a time zone"},
           {"default-cadence-days = 0", "outside 1..3650"},
           {"pending-overdue-after = tomorrow", "invalid duration 'tomorrow'"},
           {"due-check-interval = 30", "missing unit"},
           {"due-check-interval = 0s", "longer than zero"},
       }) {
    auto file = write("[crm]\n\n" + c.line + "\n");
    auto config = load({"--config", file.string()});
    ASSERT_FALSE(config) << c.line;
    EXPECT_NE(config.error().message.find(file.string() + ":3: crm."), std::string::npos) << config.error().message;
    EXPECT_NE(config.error().message.find(c.expected), std::string::npos) << config.error().message;
  }
  auto bad = load({"--config", "", "--crm.pending-overdue-after=-5m"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("--crm.pending-overdue-after"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace wacrm::config
