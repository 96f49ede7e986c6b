// The `wasim` subcommands that drive a running wasim through its admin API
// (README "Running it"). Each prints the JSON answer and exits 0 on HTTP 2xx.
#pragma once

#include <string>
#include <vector>

namespace wacrm::wasim {

// True when `command` is one of the admin subcommands.
bool is_admin_command(const std::string& command);
// Runs one (args exclude the command name); returns the exit code.
int run_admin_command(const std::string& command, const std::vector<std::string>& args);
// One line per subcommand, for `wasim --help`.
std::string admin_commands_help();

}  // namespace wacrm::wasim
