// AccountStores in memory for lib/wa tests: a MemorySignalStore plus a
// credentials store holding one optional DeviceCredentials. atomically()
// snapshots both and restores them when the body fails, like a rollback.
#pragma once

#include "signal/memory_signal_store.h"
#include "wa/store_access.h"

namespace wacrm::wa::testing {

class MemoryCredentialsStore final : public store::CredentialsStore {
 public:
  std::optional<store::DeviceCredentials> credentials;
  std::string wiped_reason;

  Result<std::optional<store::DeviceCredentials>> load() override { return credentials; }
  Status save_linked(const store::DeviceCredentials& c) override {
    if (!c.linked) return make_error(Errc::invalid_argument, "not linked");
    credentials = c;
    return {};
  }
  Status update_lid(std::string_view lid) override { return with([&](auto& c) { c.linked->lid = lid; }); }
  Status set_next_pre_key_id(std::uint32_t id) override { return with([&](auto& c) { c.next_pre_key_id = id; }); }
  Status set_server_has_pre_keys(bool v) override { return with([&](auto& c) { c.server_has_pre_keys = v; }); }
  Status wipe(std::string_view reason) override {
    credentials.reset();
    wiped_reason = reason;
    return {};
  }

 private:
  template <class F>
  Status with(F change) {
    if (!credentials) return make_error(Errc::not_found, "no credentials");
    change(*credentials);
    return {};
  }
};

class MemoryAccountStores final : public AccountStores {
 public:
  MemoryCredentialsStore credentials_store;
  signal::MemorySignalStore signal_store;
  int transactions = 0;

  store::CredentialsStore& credentials() override { return credentials_store; }
  store::SignalStore& signal() override { return signal_store; }
  Status atomically(const std::function<Status()>& body) override {
    ++transactions;
    auto credentials_before = credentials_store.credentials;
    auto signal_before = signal_store;
    Status result = body();
    if (!result) {
      credentials_store.credentials = std::move(credentials_before);
      signal_store = std::move(signal_before);
    }
    return result;
  }
};

}  // namespace wacrm::wa::testing
