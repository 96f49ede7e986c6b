// The Baileys-generated vector files of tests/conformance/vectors/ (format in
// tests/conformance/README.md), for every test that checks itself against
// them. Json is nlohmann::json, or nlohmann::ordered_json where the order of
// object keys matters (node attributes).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>

#include "support/test_env.h"

namespace wacrm::testing {

inline std::filesystem::path conformance_vector_path(std::string_view file) {
  return std::filesystem::path(source_dir()) / "tests" / "conformance" / "vectors" / file;
}

// The parsed file; nullopt when it cannot be opened (the caller decides
// whether that fails the test or skips it).
template <class Json = nlohmann::json>
std::optional<Json> load_conformance_vectors(std::string_view file) {
  std::ifstream in(conformance_vector_path(file));
  if (!in) return std::nullopt;
  return Json::parse(in);
}

}  // namespace wacrm::testing
