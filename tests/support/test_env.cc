#include "support/test_env.h"

#include <cstdlib>

namespace wacrm::testing {

static std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string source_dir() { return env_or("WACRM_SOURCE_DIR", WACRM_DEFAULT_SOURCE_DIR); }
std::string binary_dir() { return env_or("WACRM_BINARY_DIR", WACRM_DEFAULT_BINARY_DIR); }
std::string pg_host() { return env_or("WACRM_TEST_PGHOST", ""); }

}  // namespace wacrm::testing
