// The real wasim binary for a test: started with a scenario, its ready line
// read (ports chosen by the kernel, the root key to trust), driven through
// the admin API, shut down through it at the end.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/process.h"
#include "noise/secret_key.h"
#include "wasim/admin_client.h"

namespace wacrm::wasim::testing {

class WasimServer {
 public:
  // Starts `wasim serve` with the two-people scenario and extra arguments;
  // throws std::runtime_error if no ready line comes within 20 s.
  explicit WasimServer(std::vector<std::string> extra_args = {}, std::string tag = "");
  ~WasimServer();
  WasimServer(const WasimServer&) = delete;
  WasimServer& operator=(const WasimServer&) = delete;

  const std::string& ws_url() const { return ws_url_; }
  const noise::PublicKey& root_key() const { return root_key_; }
  const nlohmann::json& ready() const { return ready_; }
  const AdminClient& admin() const { return admin_; }
  bool running() { return process_.running(); }
  // POST /v1/shutdown and wait for the exit code.
  std::optional<int> shutdown();

  // Admin calls that must succeed (ADD_FAILURE and a null body otherwise).
  nlohmann::json get(const std::string& target);
  nlohmann::json post(const std::string& target, const nlohmann::json& body);
  // Waits (long-poll) for the first event after `after` matching the query.
  nlohmann::json wait_event(const std::string& query, std::uint64_t after = 0,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::uint64_t last_seq();
  // The stderr log, for failure messages.
  std::string log() const;

  static std::string binary();
  static std::string scenario(const std::string& name);

 private:
  std::string dir_;  // before process_: the process is started into it
  wacrm::testing::Process process_;
  std::string ws_url_;
  noise::PublicKey root_key_{};
  nlohmann::json ready_;
  AdminClient admin_{""};
  bool stopped_ = false;
};

}  // namespace wacrm::wasim::testing
