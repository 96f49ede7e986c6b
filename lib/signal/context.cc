#include "signal/context.h"

#include <mutex>
#include <string_view>

#include <signal_protocol.h>
#include <spdlog/spdlog.h>

#include "signal/openssl_crypto.h"

namespace wacrm::signal {

// Heap-allocated so the address libsignal holds as user_data stays put when
// the Context is moved.
struct Context::State {
  std::recursive_mutex mutex;
  std::unique_ptr<OpenSslCrypto> crypto;
  signal_context* context = nullptr;

  ~State() {
    if (context) signal_context_destroy(context);
  }
};

namespace {

void lock(void* user_data) { static_cast<std::recursive_mutex*>(user_data)->lock(); }
void unlock(void* user_data) { static_cast<std::recursive_mutex*>(user_data)->unlock(); }

// libsignal's own messages (e.g. "No session for: <name>:<device>") go to
// debug only: they name people.
void log(int level, const char* message, size_t len, void*) {
  try {
    spdlog::debug("libsignal[{}]: {}", level, std::string_view(message, len));
  } catch (...) {
  }
}

}  // namespace

Context::Context(std::unique_ptr<State> state) : state_(std::move(state)) {}
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;
Context::~Context() = default;

signal_context* Context::get() const noexcept { return state_ ? state_->context : nullptr; }

Result<Context> Context::create() {
  auto state = std::make_unique<State>();
  state->crypto = WACRM_TRY(OpenSslCrypto::create());
  if (signal_context_create(&state->context, &state->mutex) != SG_SUCCESS)
    return make_error(Errc::internal, "cannot create the libsignal context");
  signal_crypto_provider provider = state->crypto->provider();
  if (signal_context_set_crypto_provider(state->context, &provider) != SG_SUCCESS ||
      signal_context_set_locking_functions(state->context, lock, unlock) != SG_SUCCESS ||
      signal_context_set_log_function(state->context, log) != SG_SUCCESS)
    return make_error(Errc::internal, "cannot configure the libsignal context");
  return Context(std::move(state));
}

}  // namespace wacrm::signal
