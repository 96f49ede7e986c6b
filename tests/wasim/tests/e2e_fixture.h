// Shared steps of wasim's end-to-end tests: a running wasim, pairing a new
// companion through the admin API, and logging it in up to "ready" (pre-keys
// uploaded, active, key share taken, offline marker seen).
#pragma once

#include <future>
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
  // Connects a registering client and returns the first ref of its pair-device
  // iq (answered as a client does); empty on failure.
  std::string register_client(TestClient& client);
  // POST /v1/scan on another thread (it waits for the client's reply, which
  // the test thread must produce meanwhile).
  std::future<Result<AdminAnswer>> scan_async(const std::string& phone, std::string qr, int timeout_ms = 15000);
  // Takes a first login's key share (confirming it) and the offline marker.
  static void settle_first_login(TestClient& client);
  // A paired device logged in, key share confirmed, offline marker taken.
  struct Ready {
    PairedDevice device;
    std::unique_ptr<TestClient> client;
  };
  Ready ready_device(const std::string& phone);
  // Logs in and does what a client does at start; returns the connected client.
  std::unique_ptr<TestClient> login_ready(const PairedDevice& device, ClientOptions options = {},
                                          bool upload_pre_keys = true);

  std::unique_ptr<WasimServer> server_;
};

std::string device_part(const std::string& jid);

}  // namespace wacrm::wasim::testing
