// The protobuf vectors Baileys 7 serialized with its WAProto schema
// (tests/conformance/vectors/protobuf.json; format in the README there).
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "base/bytes.h"
#include "support/conformance_vectors.h"

namespace wacrm::testing {

// The whole file, parsed once. Throws if it is missing: the vectors are
// committed, so a missing file is a broken checkout, not a reason to skip.
inline const nlohmann::json& protobuf_vectors() {
  static const nlohmann::json file = [] {
    auto loaded = load_conformance_vectors("protobuf.json");
    if (!loaded) throw std::runtime_error("cannot open " + conformance_vector_path("protobuf.json").string());
    return std::move(*loaded);
  }();
  return file;
}

// The vector called `name`; throws if there is none.
inline const nlohmann::json& protobuf_vector(std::string_view name) {
  for (const auto& vector : protobuf_vectors().at("vectors"))
    if (vector.at("name").get<std::string>() == name) return vector;
  throw std::runtime_error("no protobuf vector named '" + std::string(name) + "'");
}

inline Bytes vector_bytes(const nlohmann::json& vector) {
  Bytes out;
  if (!from_hex(vector.at("hex").get<std::string>(), out))
    throw std::runtime_error("bad hex in vector " + vector.at("name").get<std::string>());
  return out;
}

// Parses vector `name` as T (one of our generated types).
template <class T>
T parse_protobuf_vector(std::string_view name) {
  Bytes bytes = vector_bytes(protobuf_vector(name));
  T message;
  EXPECT_TRUE(message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      << "vector " << name << " does not parse as " << T::descriptor()->full_name();
  return message;
}

}  // namespace wacrm::testing
