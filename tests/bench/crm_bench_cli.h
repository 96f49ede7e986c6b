// Command-line handling shared by crm_bench_data and crm_bench.
#pragma once

#include <boost/program_options.hpp>

#include <iostream>

namespace wacrm::bench {

// Parses argv into vm. Returns -1 to go on, else the exit code to leave
// with: 0 after printing --help, 2 after a usage error.
inline int parse_command_line(int argc, char** argv, const boost::program_options::options_description& desc,
                              boost::program_options::variables_map& vm, const char* program) {
  namespace po = boost::program_options;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << program << ": " << e.what() << "\n" << desc;
    return 2;
  }
  return -1;
}

}  // namespace wacrm::bench
