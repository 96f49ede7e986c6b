// wacrmd: parse options, set up logging, run the daemon. Everything else is
// in daemon.cc and lib/.
#include <cstdio>
#include <exception>

#include <spdlog/spdlog.h>

#include "config/daemon_config.h"
#include "daemon.h"
#include "logging.h"

int main(int argc, char** argv) {
  using wacrm::config::CommandLine;
  auto command_line = wacrm::config::parse_daemon_command_line(argc, argv);
  if (!command_line) {
    std::fprintf(stderr, "wacrmd: %s\n", command_line.error().message.c_str());
    return 2;
  }
  switch (command_line->action) {
    case CommandLine::Action::help:
      std::fputs(command_line->help_text.c_str(), stdout);
      return 0;
    case CommandLine::Action::version:
      std::printf("wacrmd %s\n", WACRM_VERSION);
      return 0;
    case CommandLine::Action::example_config:
      std::fputs(wacrm::config::daemon_example_config().c_str(), stdout);
      return 0;
    case CommandLine::Action::run:
      break;
  }
  auto config = wacrm::config::load_daemon_config(*command_line);
  if (!config) {
    std::fprintf(stderr, "wacrmd: %s\n", config.error().message.c_str());
    return 2;
  }

  wacrm::daemon::setup_logging(wacrm::daemon::stderr_is_journal(), config->log_level);
  try {
    wacrm::daemon::Daemon daemon(std::move(*command_line), std::move(*config));
    return daemon.run();
  } catch (const std::exception& e) {
    spdlog::critical("wacrmd failed: {}", e.what());
    return 1;
  }
}
