// wacrmctl's command line: global options, then a verb from verbs.h with its
// own options and arguments.
#pragma once

#include <ostream>

namespace wacrm::ctl {

// Parses argv, runs the verb, returns the exit code (exit_codes.h).
int run_cli(int argc, const char* const argv[], std::ostream& out, std::ostream& err);

}  // namespace wacrm::ctl
