// End-to-end linking tests: the real wasim binary (on a fixed port, with a
// state file, so it can be stopped and started again), the real wacrmd on the
// test PostgreSQL configured to trust wasim, and the real wacrmctl.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/process.h"
#include "store/pg/pg_connection.h"
#include "support/test_database.h"
#include "wasim/admin_client.h"

namespace wacrm::testing {

// One wasim server that keeps its port and state across restarts.
class Wasim {
 public:
  explicit Wasim(std::filesystem::path dir);
  ~Wasim();

  // Starts `wasim serve` and waits for its ready line; extra flags appended.
  void start(std::vector<std::string> extra = {});
  // Saves its state and exits (POST /v1/shutdown), killing it if it lingers.
  void stop();
  bool running();

  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/ws/chat"; }
  const std::string& root_key_hex() const { return root_key_hex_; }
  std::string log() const;
  const wasim::AdminClient& admin() const { return *admin_; }

  // Admin calls that must succeed (a test failure and null otherwise).
  nlohmann::json get(const std::string& target);
  nlohmann::json post(const std::string& target, const nlohmann::json& body);
  // The first event after `after` matching the query (long-poll), or null.
  nlohmann::json wait_event(const std::string& query, std::uint64_t after,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::uint64_t last_seq();

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  int starts_ = 0;
  std::string root_key_hex_;
  std::unique_ptr<Process> process_;
  std::unique_ptr<wasim::AdminClient> admin_;
};

struct CtlRun {
  int code = -1;
  std::string out;
  std::string err;
};

class LinkTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // wacrmd on the test database, trusting wasim; waits until it answers.
  void start_daemon();
  // Another wacrmd on the same database and wasim, listening on `socket`; null if it did not come up.
  std::unique_ptr<Process> spawn_daemon(const std::filesystem::path& socket);
  // SIGTERM; the exit code.
  int stop_daemon();
  CtlRun ctl(std::vector<std::string> args, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // `wacrmctl --json login ACCOUNT` in the background until it prints a QR
  // string; `phone`'s simulated phone scans it; wacrmctl must then end with
  // the account linked. Returns the device JID wasim gave us ("" on failure).
  std::string link(const std::string& account, const std::string& phone);
  // account add + link + connected, starting wacrmd first if it is not running.
  std::string add_linked(const std::string& account, const std::string& phone);
  // A chat row for `account`: CRM data that a logout must keep.
  void add_chat(const std::string& account);
  // wasim's phone of `phone` scans `qr` (POST /v1/scan); its answer.
  nlohmann::json post_scan(const std::string& phone, const std::string& qr);
  // The QR string of the first waiting-for-QR line of `wacrmctl --json login` output.
  static std::string first_qr(const std::string& json_lines);

  // From `wacrmctl --json status`: the account's entry (null if absent).
  nlohmann::json account_status(const std::string& account);
  bool wait_connected(const std::string& account, bool connected, std::chrono::milliseconds timeout);
  // accounts.link_state and whether device_credentials has a row, from the database.
  std::string link_state(const std::string& account);
  bool has_credentials(const std::string& account);
  std::int64_t rows(const std::string& sql);

  std::string daemon_log() const;

  std::filesystem::path dir_;
  std::filesystem::path socket_;
  TestDatabase db_;
  std::optional<store::PgConnection> conn_;
  std::unique_ptr<Wasim> wasim_;
  std::unique_ptr<Process> daemon_;
  int daemon_starts_ = 0;
};

}  // namespace wacrm::testing
