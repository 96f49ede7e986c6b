// The libsignal-protocol-c library context: owns a signal_context wired to
// our OpenSSL crypto provider (signal/openssl_crypto.h) and a recursive
// mutex (libsignal requires recursive locking when the context is shared by
// threads). Everything in lib/signal takes a Context&.
//
// libsignal holds that mutex through a whole operation, store callbacks (and
// so database queries) included: accounts that decrypt on different threads
// should each have their own Context, which is cheap. Objects made with a
// Context keep a reference to it: do not move it while they live.
#pragma once

#include <memory>

#include "base/error.h"

struct signal_context;

namespace wacrm::signal {

class Context {
 public:
  // Errc::internal when OpenSSL or libsignal cannot be set up.
  static Result<Context> create();

  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;
  ~Context();

  signal_context* get() const noexcept;

 private:
  struct State;
  explicit Context(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace wacrm::signal
