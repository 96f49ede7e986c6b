// Helpers shared by the Signal tests (tests/signal, tests/store/pg_signal_store_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "signal/context.h"
#include "signal/key_generation.h"
#include "signal/padding.h"

namespace wacrm::signal::testing {

inline Context make_context() {
  auto context = Context::create();
  if (!context) throw std::runtime_error(context.error().to_string());
  return std::move(*context);
}

inline store::SignalLocalIdentity make_identity(Context& context) {
  auto identity = generate_local_identity(context);
  if (!identity) throw std::runtime_error(identity.error().to_string());
  return std::move(*identity);
}

inline Bytes padded(std::string_view text) { return add_padding(as_bytes(text), 7); }

// The text inside a decrypted, still padded plaintext ("" when the padding is bad).
inline std::string text_of(const Bytes& plaintext) {
  auto stripped = strip_padding(plaintext);
  if (!stripped) return "";
  return std::string(stripped->begin(), stripped->end());
}

}  // namespace wacrm::signal::testing
