// wasim: a local WhatsApp-compatible server for tests and the demo.
//   wasim serve [options]          run the server (README "Running it")
//   wasim <command> --admin URL …  drive a running server through its admin API
#include <iostream>
#include <string>
#include <vector>

#include "wasim/cli.h"
#include "wasim/serve.h"
#include "wasim/server_options.h"

namespace {

void usage(std::ostream& out) {
  out << "usage:\n  wasim serve [--listen 127.0.0.1:0] [--admin 127.0.0.1:0] [--scenario FILE] [--state FILE] ...\n"
      << "  wasim serve --help   (every serve option)\n"
      << wacrm::wasim::admin_commands_help();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    usage(std::cout);
    return 0;
  }
  if (command == "serve") {
    bool help = false;
    auto options = wacrm::wasim::parse_serve_options(args, help);
    if (help) {
      std::cout << wacrm::wasim::serve_option_table().description("wasim serve options");
      return 0;
    }
    if (!options) {
      std::cerr << "wasim serve: " << options.error().message << "\n";
      return 2;
    }
    return wacrm::wasim::run_serve(*options);
  }
  if (wacrm::wasim::is_admin_command(command)) return wacrm::wasim::run_admin_command(command, args);
  std::cerr << "wasim: unknown command '" << command << "'\n";
  usage(std::cerr);
  return 2;
}
