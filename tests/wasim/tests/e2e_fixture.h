// Shared steps of wasim's end-to-end tests: a running wasim, pairing a new
// companion through the admin API, and logging it in up to "ready" (pre-keys
// uploaded, active, key share taken, offline marker seen).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "signal/context.h"
#include "wasim/tests/test_client.h"
#include "wasim/tests/wasim_server.h"

namespace wacrm::wasim::testing {

inline constexpr const char* kAlice = "15550001111";
inline constexpr const char* kBob = "15550002222";

struct PairedDevice {
  DeviceKeys keys;
  std::string phone;
  std::string jid;  // "N:D@s.whatsapp.net"
  std::uint16_t device = 0;
};

class WasimTest : public ::testing::Test {
 protected:
  static signal::Context& context();
  void start(std::vector<std::string> extra_args = {});
  std::unique_ptr<TestClient> client(const DeviceKeys& keys, ClientOptions options = {});

  // Registers a new client and has `phone`'s phone scan it; the client has
  // received 515 and is disconnected when this returns.
  PairedDevice pair(const std::string& phone, ClientOptions options = {});
  // Logs in and does what a client does at start; returns the connected client.
  std::unique_ptr<TestClient> login_ready(const PairedDevice& device, ClientOptions options = {},
                                          bool upload_pre_keys = true);

  std::unique_ptr<WasimServer> server_;
};

std::string device_part(const std::string& jid);

}  // namespace wacrm::wasim::testing
