// Small helpers shared by the noise tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "noise/key_pair.h"

namespace wacrm::noise::testing {

// Hex to bytes; spaces are ignored so vectors can be written as in the notes.
inline Bytes hex(std::string_view text) {
  std::string compact;
  for (char c : text)
    if (c != ' ') compact.push_back(c);
  Bytes out;
  if (!from_hex(compact, out)) ADD_FAILURE() << "bad hex in test: " << text;
  return out;
}

inline PublicKey public_key_hex(std::string_view text) {
  PublicKey key{};
  if (!to_public_key(hex(text), key)) ADD_FAILURE() << "not a 32-byte key: " << text;
  return key;
}

inline KeyPair key_pair_hex(std::string_view private_hex) {
  auto pair = KeyPair::from_private(hex(private_hex));
  if (!pair) throw std::runtime_error(pair.error().to_string());
  return *pair;
}

inline KeyPair fresh_key_pair() {
  auto pair = KeyPair::generate();
  if (!pair) throw std::runtime_error(pair.error().to_string());
  return *pair;
}

}  // namespace wacrm::noise::testing
