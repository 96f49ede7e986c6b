// Paths and settings ctest passes to every test (tests/CMakeLists.txt).
#pragma once

#include <string>

namespace wacrm::testing {

// The repository root and the build directory.
std::string source_dir();
std::string binary_dir();
// Directory of the test PostgreSQL's Unix socket; empty when not set.
std::string pg_host();

}  // namespace wacrm::testing
