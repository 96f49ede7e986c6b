// libsignal's five store callback structs over a SignalStore. Internal to
// lib/signal (Protocol owns one).
//
// Every callback catches everything; a failing SignalStore call is answered
// with kStoreFailure and its Error kept, so Protocol can report the store's
// own message instead of a bare libsignal code.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <signal_protocol.h>

#include "signal/address.h"
#include "signal/context.h"
#include "signal/errors.h"
#include "signal/trust_policy.h"
#include "store/signal_store.h"

namespace wacrm::signal {



// Below every libsignal code (SG_ERR_MINIMUM), so it cannot be mistaken for one.
inline constexpr int kStoreFailure = SG_ERR_MINIMUM - 1;

class StoreAdapter {
 public:
  StoreAdapter(Context& context, store::SignalStore& store, TrustPolicy trust);
  ~StoreAdapter();
  StoreAdapter(const StoreAdapter&) = delete;
  StoreAdapter& operator=(const StoreAdapter&) = delete;

  signal_protocol_store_context* get() const { return store_context_; }
  signal_context* context() const { return context_.get(); }

  // The store the callbacks use from now on.
  void bind(store::SignalStore& store) { store_ = &store; }
  store::SignalStore& store() const { return *store_; }

  // The error for a negative result of a libsignal call made through this
  // adapter: the kept store error for kStoreFailure, else the code's mapping.
  SignalError error_for(int rc, std::string_view what);

  // Addresses whose identity key changed (TrustPolicy::accept_changes).
  std::vector<Address>& identity_changes() { return identity_changes_; }

  // --- what the callbacks do (public for the C trampolines in the .cc)
  int fail(const Error& error);
  int load_local_identity(store::SignalLocalIdentity*& identity);
  int signed_pre_key_from_identity(signal_buffer** record, std::uint32_t id);
  TrustPolicy trust() const { return trust_; }

 private:
  Context& context_;
  store::SignalStore* store_;
  TrustPolicy trust_;
  signal_protocol_store_context* store_context_ = nullptr;
  std::optional<store::SignalLocalIdentity> local_identity_;  // read once
  std::optional<Bytes> current_signed_pre_key_record_;        // built once
  std::optional<Error> store_error_;
  std::vector<Address> identity_changes_;
};

}  // namespace wacrm::signal
