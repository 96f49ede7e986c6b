// wacrmctl: the command-line client of wacrmd (see cli.cc and verbs.cc).
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) { return wacrm::ctl::run_cli(argc, argv, std::cout, std::cerr); }
