// Issue #6's interoperability proof: the real Baileys clients (7.0.0-rc14 and 6.17.16), each linked to an account of
// its own in wasim, send a text through wasim to an account linked by wacrmd, and wacrmd stores it. Baileys encrypts
// with its own Signal code (libsignal-node), so a stored text proves our decryption interoperates with a real
// implementation. Real processes throughout: wasim, wacrmd on the test PostgreSQL, wacrmctl, and Node running
// tests/conformance/harness/baileys_send.mjs. Every wait has a timeout.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "integration/link_fixture.h"
#include "support/test_env.h"

namespace wacrm::testing {
namespace {

using namespace std::chrono_literals;
using wasim::url_encode;

constexpr const char* kAlicePhone = "15550001111";  // an account of wasim's two-people scenario

struct BaileysSend {
  int code = -1;
  nlohmann::json done;  // baileys_send.mjs's last line: {"event":"done","ok",…}
  std::string output;
};

class WacrmdBaileysTest : public LinkTest {
 protected:
  // The Node packages (a no-op when installed; offline-friendly).
  void install_node_packages() {
    ProcessOptions options;
    options.argv = {"/bin/bash", source_dir() + "/tests/conformance/install.sh"};
    options.stderr_file = (dir_ / "install.err").string();
    auto process = Process::spawn(options);
    auto code = process.wait_for(240s);
    ASSERT_EQ(code, std::optional<int>(0)) << "tests/conformance/install.sh failed: " << read_file(options.stderr_file);
  }

  // baileys_send.mjs: links a Baileys `version` peer to `sender` (QR, wasim's phone scans it, 515, login) and sends
  // `text` to `to`, waiting for wasim's ack.
  BaileysSend baileys_send(int version, const std::string& sender, const std::string& to, const std::string& text) {
    const char* node = std::getenv("WACRM_NODE");
    std::string admin_url = wasim_->get("/v1/status").value("admin_url", "");
    std::string tag = "baileys" + std::to_string(version);
    ProcessOptions options;
    options.argv = {node ? node : "/usr/bin/node", source_dir() + "/tests/conformance/harness/baileys_send.mjs",
                    "--baileys", std::to_string(version), "--admin", admin_url, "--phone", sender,
                    "--to", to, "--text", text, "--timeout", "30000",
                    "--log-file", (dir_ / (tag + "-peer.log")).string()};
    options.stdout_file = (dir_ / (tag + "-send.out")).string();
    options.stderr_file = (dir_ / (tag + "-send.err")).string();
    auto process = Process::spawn(options);
    BaileysSend result;
    result.code = process.wait_for(150s).value_or(-1);
    result.output = read_file(options.stdout_file);
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) {
      auto json = nlohmann::json::parse(line, nullptr, false);
      if (json.is_object() && json.value("event", "") == "done") result.done = json;
    }
    return result;
  }

  // wacrmctl --json messages ACCOUNT lists a message with `text` (polled every 250 ms until the timeout).
  bool stored(const std::string& account, const std::string& text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
      auto run = ctl({"--json", "messages", account});
      if (run.code == 0 && run.out.find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(250ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }
};

TEST_F(WacrmdBaileysTest, BaileysSevenAndSixSendToAWacrmdAccountAndWacrmdStoresIt) {
  ASSERT_NO_FATAL_FAILURE(install_node_packages());
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "alice"}).code, 0);
  std::string jid = link("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty()) << "wacrmd did not link alice";
  ASSERT_TRUE(wait_connected("alice", true, 30s));

  for (int version : {7, 6}) {
    SCOPED_TRACE("Baileys " + std::to_string(version));
    // One sender account per version: a Baileys 6 auth state is no Baileys 7 one.
    std::string sender = version == 7 ? "15550007007" : "15550006006";
    wasim_->post("/v1/accounts", {{"phone", sender}, {"push_name", "Baileys " + std::to_string(version)}});
    std::string text = "hello wacrmd, from Baileys " + std::to_string(version);
    auto seq = wasim_->last_seq();

    auto sent = baileys_send(version, sender, kAlicePhone, text);
    ASSERT_EQ(sent.code, 0) << "baileys_send.mjs failed:\n" << sent.output;
    std::string id = sent.done.value("id", "");
    ASSERT_FALSE(id.empty()) << sent.output;

    auto delivered = wasim_->wait_event("type=message_delivered&id=" + url_encode(id) + "&jid=" + url_encode(jid), seq, 30s);
    ASSERT_TRUE(delivered.is_object()) << "wasim did not deliver Baileys' message " << id << " to wacrmd's " << jid;
    EXPECT_TRUE(stored("alice", text, 30s))
        << "wacrmd did not store Baileys " << version << "'s text (issue #6: decrypt and store incoming messages)\n"
        << daemon_log();
    // Acknowledged to the server only after it was stored.
    EXPECT_TRUE(wasim_->wait_event("type=receipt&id=" + url_encode(id) + "&jid=" + url_encode(jid), seq, 30s).is_object())
        << "wacrmd sent no receipt for " << id;
  }
}

}  // namespace
}  // namespace wacrm::testing
