// Loads the Baileys-generated vectors of tests/conformance/vectors/ (see the
// README there); tests skip when a file is absent.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "support/test_env.h"

namespace wacrm::noise::testing {

inline std::optional<nlohmann::json> load_conformance_vectors(const std::string& file) {
  auto path = std::filesystem::path(wacrm::testing::source_dir()) / "tests" / "conformance" / "vectors" / file;
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return nlohmann::json::parse(in);
}

}  // namespace wacrm::noise::testing
