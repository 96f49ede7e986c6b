// Error values for code where failure is expected (protocol and store layers).
// One Errc for the whole project; each front door (control socket, D-Bus, HTTP)
// maps it once to its own status vocabulary.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace wacrm {

enum class Errc {
  invalid_argument,   // the caller gave us something malformed
  not_found,
  already_exists,
  permission_denied,
  unavailable,        // a dependency (database, server) cannot be reached now
  timeout,
  cancelled,
  malformed,          // bytes from the network or disk that do not parse
  too_large,          // input exceeds a limit we enforce
  unsupported,
  protocol,           // the peer broke the protocol's rules
  crypto,             // a signature, MAC or key check failed
  database,
  conflict,           // state changed under us (e.g. schema newer than we know)
  internal,           // a bug
};

std::string_view errc_name(Errc code);

struct Error {
  Errc code = Errc::internal;
  std::string message;

  // "<code name>: <message>", for logs and fallback display.
  std::string to_string() const;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> make_error(Errc code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace wacrm

// Evaluates a Result expression; on error returns that error from the enclosing
// function, otherwise yields the value. Uses a GCC/Clang statement expression.
#define WACRM_TRY(...)                                          \
  ({                                                            \
    auto&& wacrm_try_result_ = (__VA_ARGS__);                   \
    if (!wacrm_try_result_)                                     \
      return std::unexpected(std::move(wacrm_try_result_).error()); \
    std::move(wacrm_try_result_).value();                       \
  })
