// Helpers shared by the lib/wire tests.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "wire/node.h"
#include "wire/node_format.h"

namespace wacrm::wire::testing {

// Hex (spaces allowed) to bytes; a test failure on bad hex.
inline Bytes unhex(std::string_view hex) {
  std::string clean;
  for (char c : hex)
    if (c != ' ') clean += c;
  Bytes out;
  if (!from_hex(clean, out)) ADD_FAILURE() << "bad hex in test: " << hex;
  return out;
}

// Hex of a string's bytes (for writing raw strings into expected encodings).
inline std::string hex_of(std::string_view s) { return to_hex(as_bytes(s)); }

}  // namespace wacrm::wire::testing

namespace wacrm::wire {
// gtest prints nodes as our text dump (bytes shown) instead of raw memory.
inline void PrintTo(const Node& node, std::ostream* os) {
  *os << format_node(node, FormatOptions{.show_bytes = true});
}
}  // namespace wacrm::wire
