// Linking end to end, the account's life around it (issue #5): removing a
// linked account ends its session before its rows go. Real wacrmd, wacrmctl
// and wasim processes on the test PostgreSQL; every wait has a timeout.
#include <gtest/gtest.h>

#include <sstream>

#include "integration/link_fixture.h"
#include "support/test_env.h"

namespace wacrm::testing {
namespace {

using namespace std::chrono_literals;
using wasim::url_encode;

constexpr const char* kAlicePhone = "15550001111";  // the accounts of tests/wasim/scenarios/two-people.json
constexpr const char* kBobPhone = "15550002222";

TEST_F(LinkTest, RemovingALinkedAccountEndsItsSessionAndTheNameCanBeAddedAgain) {
  std::string jid = add_linked("carol", kBobPhone);
  ASSERT_FALSE(jid.empty());
  ASSERT_TRUE(wait_connected("carol", true, 30s));

  auto seq = wasim_->last_seq();
  auto removed = ctl({"account", "remove", "carol", "--yes"});
  ASSERT_EQ(removed.code, 0) << removed.err;
  // The session closed its own connection (nothing keeps the removed account online)...
  auto closed = wasim_->wait_event("type=connection_closed&jid=" + url_encode(jid), seq, 10s);
  ASSERT_TRUE(closed.is_object()) << "the removed account's connection stayed open\n" << daemon_log();
  // ...and does not come back: no reconnection, no write for the removed account.
  EXPECT_TRUE(wasim_->wait_event("type=login&jid=" + url_encode(jid), seq, 3s).is_null())
      << "the removed account logged in again";
  EXPECT_EQ(rows("SELECT 1 FROM accounts WHERE name = 'carol'"), 0);
  EXPECT_TRUE(account_status("carol").is_null());
  EXPECT_EQ(daemon_log().find("Failed to store"), std::string::npos) << daemon_log();

  // The name is free again, and links as a new device.
  ASSERT_EQ(ctl({"account", "add", "carol"}).code, 0);
  EXPECT_EQ(link_state("carol"), "unlinked");
  std::string again = link("carol", kBobPhone);
  ASSERT_FALSE(again.empty());
  EXPECT_NE(again, jid);
  EXPECT_TRUE(wait_connected("carol", true, 30s));
  EXPECT_EQ(link_state("carol"), "linked");
}

// The pairing code of a `wacrmctl login --phone` text screen ("" if none yet).
std::string shown_code(const std::string& text) {
  const std::string label = "Your pairing code: ";
  auto at = text.find(label);
  if (at == std::string::npos || text.size() < at + label.size() + 9) return {};
  return text.substr(at + label.size(), 9);  // XXXX-XXXX
}

TEST_F(LinkTest, LinksWithPhoneNumberByPairingCodeThroughWacrmctl) {
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "alice"}).code, 0);
  auto bad = ctl({"login", "alice", "--phone", "0555"});
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("phone number"), std::string::npos) << bad.err;

  auto text = (dir_ / "login-code.out").string();
  ProcessOptions options;
  options.argv = {binary_dir() + "/ctl/wacrmctl", "--socket", socket_.string(), "login", "alice", "--phone",
                  std::string("+") + kAlicePhone};
  options.stdout_file = text;
  options.stderr_file = text + ".err";
  auto viewer = Process::spawn(options);
  std::string code;
  EXPECT_TRUE(eventually([&] { return !(code = shown_code(read_file(text))).empty() || !viewer.running(); }, 30s));
  ASSERT_EQ(code.size(), 9u) << read_file(text) << read_file(text + ".err") << daemon_log();
  EXPECT_EQ(code[4], '-');
  EXPECT_NE(read_file(text).find("Link with phone number"), std::string::npos) << read_file(text);
  EXPECT_EQ(read_file(text).find("\u2588"), std::string::npos) << "a QR code was drawn";

  // The phone types it: wasim checks the key bundle, then pair-success as for a scan.
  auto entered = wasim_->post("/v1/enter-code", {{"phone", kAlicePhone}, {"code", code}});
  ASSERT_TRUE(entered.is_object());
  EXPECT_EQ(entered.value("result", ""), "paired");
  std::string jid = entered.value("device_jid", "");
  EXPECT_EQ(jid.rfind(std::string(kAlicePhone) + ":", 0), 0u) << jid;
  EXPECT_EQ(viewer.wait_for(60s), 0) << read_file(text) << read_file(text + ".err");
  EXPECT_NE(read_file(text).find(std::string("Linked as +") + kAlicePhone), std::string::npos) << read_file(text);
  EXPECT_EQ(link_state("alice"), "linked");
  EXPECT_TRUE(has_credentials("alice"));
  EXPECT_TRUE(wait_connected("alice", true, 30s));
}

TEST_F(LinkTest, AWrongPairingCodeIsRefusedAndNothingIsStored) {
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "bob"}).code, 0);
  auto out = (dir_ / "login-code.json").string();
  ProcessOptions options;
  options.argv = {binary_dir() + "/ctl/wacrmctl", "--socket", socket_.string(), "--json", "login", "bob", "--phone",
                  kBobPhone};
  options.stdout_file = out;
  options.stderr_file = out + ".err";
  auto login = Process::spawn(options);
  std::string code;
  EXPECT_TRUE(eventually(
      [&] {
        std::istringstream lines(read_file(out));
        for (std::string line; std::getline(lines, line);) {
          auto update = nlohmann::json::parse(line, nullptr, false);
          if (!update.is_discarded() && update.contains("state"))
            code = update["state"].value("pairing_code", "");
          if (!code.empty()) return true;
        }
        return !login.running();
      },
      30s));
  ASSERT_EQ(code.size(), 8u) << read_file(out) << read_file(out + ".err");

  std::string wrong = code[0] == 'A' ? "B" + code.substr(1) : "A" + code.substr(1);
  auto answer = wasim_->admin().post("/v1/enter-code", {{"phone", kBobPhone}, {"code", wrong}}, 60s);
  ASSERT_TRUE(answer.has_value());
  EXPECT_FALSE(answer->ok()) << answer->body.dump();
  EXPECT_NE(answer->body.dump().find("key bundle"), std::string::npos) << answer->body.dump();
  EXPECT_NE(login.wait_for(60s), 0) << read_file(out);
  EXPECT_NE(link_state("bob"), "linked");
  EXPECT_FALSE(has_credentials("bob"));
}

}  // namespace
}  // namespace wacrm::testing
