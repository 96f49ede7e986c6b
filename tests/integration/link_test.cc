// Linking accounts end to end (issue #5): real wacrmd and wacrmctl processes,
// the real wasim server and the test PostgreSQL. Every wait has a timeout.
#include <signal.h>

#include <gtest/gtest.h>

#include "integration/link_fixture.h"
#include "support/test_env.h"

namespace wacrm::testing {
namespace {

using namespace std::chrono_literals;
using wasim::url_encode;

constexpr const char* kAlicePhone = "15550001111";
constexpr const char* kBobPhone = "15550002222";

std::string jid_query(const std::string& type, const std::string& jid) {
  return "type=" + type + "&jid=" + url_encode(jid);
}

TEST_F(LinkTest, LinksByQrThroughWacrmctlAndLogsBackInAfterARestart) {
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "alice"}).code, 0);

  // The terminal view: the QR code in half blocks, what to do on the phone, a countdown.
  auto text = (dir_ / "login-text.out").string();
  ProcessOptions options;
  options.argv = {binary_dir() + "/ctl/wacrmctl", "--socket", socket_.string(), "login", "alice"};
  options.stdout_file = text;
  options.stderr_file = text + ".err";
  auto viewer = Process::spawn(options);
  EXPECT_TRUE(eventually([&] { return read_file(text).find("expires in") != std::string::npos; }, 30s))
      << read_file(text) << read_file(text + ".err");
  auto shown = read_file(text);
  EXPECT_NE(shown.find("WhatsApp \u2192 Settings \u2192 Linked devices \u2192 Link a device"), std::string::npos);
  EXPECT_NE(shown.find("\u2588"), std::string::npos) << "no QR code drawn";
  // A second login of the same account takes the linking over (here: the --json one below).
  std::string jid = link("alice", kAlicePhone);
  ASSERT_EQ(jid.rfind(std::string(kAlicePhone) + ":", 0), 0u) << jid;
  EXPECT_EQ(viewer.wait_for(10s), 1);
  EXPECT_NE(read_file(text + ".err").find("took over"), std::string::npos) << read_file(text + ".err");

  EXPECT_EQ(link_state("alice"), "linked");
  EXPECT_TRUE(has_credentials("alice"));
  EXPECT_TRUE(wait_connected("alice", true, 30s));
  // The first pre-key upload is 812 keys, recorded as uploaded once the server answered.
  auto uploaded = wasim_->wait_event(jid_query("prekeys_uploaded", jid), 0, 30s);
  ASSERT_TRUE(uploaded.is_object()) << "no pre-key upload";
  EXPECT_EQ(uploaded["data"].value("count", 0), 812);
  // (The phone's key share arrives as a pkmsg, which wacrmd now decrypts: it may
  // already have used one of them.)
  EXPECT_TRUE(eventually(
      [&] {
        auto n = rows("SELECT 1 FROM signal_prekeys WHERE uploaded");
        return n == 812 || n == 811;
      },
      10s));
  auto status = ctl({"status"});
  EXPECT_NE(status.out.find("connected since"), std::string::npos) << status.out;

  // A restart logs the account back in with its stored keys: a login, no registration.
  auto seq = wasim_->last_seq();
  ASSERT_EQ(stop_daemon(), 0);
  start_daemon();
  auto login = wasim_->wait_event(jid_query("login", jid), seq, 60s);
  ASSERT_TRUE(login.is_object()) << "wacrmd did not log back in";
  EXPECT_TRUE(wasim_->wait_event("type=registration_started", seq, 100ms).is_null());
  EXPECT_TRUE(wait_connected("alice", true, 30s));
  // Linking a linked account again is refused.
  auto again = ctl({"login", "alice"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("already linked"), std::string::npos) << again.err;
}

TEST_F(LinkTest, ReconnectsWhenTheServerDropsTheConnection) {
  std::string jid = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty());

  for (const auto& drop : {nlohmann::json{{"jid", jid}, {"mode", "close"}},
                           nlohmann::json{{"jid", jid}, {"mode", "stream_end"}},
                           nlohmann::json{{"jid", jid}, {"mode", "stream_error"}, {"code", 503}}}) {
    auto seq = wasim_->last_seq();
    auto dropped = wasim_->post("/v1/drop", drop);
    ASSERT_EQ(dropped.value("dropped", 0), 1) << drop.dump();
    EXPECT_TRUE(wasim_->wait_event(jid_query("login", jid), seq, 60s).is_object()) << "no reconnect after " << drop.dump();
    EXPECT_TRUE(wait_connected("alice", true, 30s));
  }
  EXPECT_EQ(link_state("alice"), "linked");
}

TEST_F(LinkTest, BacksOffWhileTheServerIsDownThenRecovers) {
  std::string jid = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty());

  wasim_->stop();
  // Failed attempts show up as "reconnecting in Ns after …", at growing intervals.
  EXPECT_TRUE(eventually(
      [&] {
        auto a = account_status("alice");
        return a.is_object() && a.value("session", "").find("reconnecting in") != std::string::npos;
      },
      30s));
  EXPECT_TRUE(eventually(
      [&] {
        auto log = daemon_log();
        std::size_t count = 0;
        for (auto at = log.find("reconnecting in"); at != std::string::npos; at = log.find("reconnecting in", at + 1))
          ++count;
        return count >= 3;
      },
      30s))
      << "expected several failed attempts";
  EXPECT_EQ(link_state("alice"), "linked");  // a server outage is no logout

  wasim_->start();
  EXPECT_TRUE(wait_connected("alice", true, 90s));
  EXPECT_TRUE(has_credentials("alice"));
}

TEST_F(LinkTest, ReplacedByAnotherConnectionIsReportedNotFought) {
  std::string jid = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty());

  // A second wacrmd on the same database logs the same device in: the server
  // replaces our connection with a stream conflict.
  auto seq = wasim_->last_seq();
  auto other = spawn_daemon(dir_ / "other.sock");
  ASSERT_TRUE(other) << daemon_log();
  EXPECT_TRUE(wasim_->wait_event(jid_query("login", jid), seq, 60s).is_object());
  EXPECT_TRUE(eventually(
      [&] {
        auto a = account_status("alice");
        return a.is_object() && a.value("session", "").find("replaced") != std::string::npos;
      },
      30s))
      << account_status("alice").dump();
  // The first daemon does not fight back: one login (the other daemon's), no more.
  auto after = wasim_->last_seq();
  EXPECT_TRUE(wasim_->wait_event(jid_query("login", jid), after, 3s).is_null());
  EXPECT_EQ(link_state("alice"), "linked");
  EXPECT_TRUE(has_credentials("alice"));
  other->signal(SIGTERM);
  EXPECT_EQ(other->wait_for(60s), 0);
}

TEST_F(LinkTest, AnOutdatedClientStopsAndNamesTheVersionOption) {
  ASSERT_FALSE(add_linked("alice", kAlicePhone).empty());

  // The server now wants a newer WhatsApp Web than we announce: failure 405.
  wasim_->stop();
  wasim_->start({"--min-version", "2.3000.2000000000"});
  EXPECT_TRUE(eventually(
      [&] {
        auto a = account_status("alice");
        return a.is_object() && a.value("session", "").find("client outdated") != std::string::npos;
      },
      90s))
      << account_status("alice").dump();
  auto session = account_status("alice").value("session", "");
  EXPECT_NE(session.find("whatsapp.version"), std::string::npos) << session;
  // Not a logout: the keys stay, and it stops trying.
  EXPECT_EQ(link_state("alice"), "linked");
  EXPECT_TRUE(has_credentials("alice"));
  auto seq = wasim_->last_seq();
  EXPECT_TRUE(wasim_->wait_event("type=connected", seq, 3s).is_null());
}

TEST_F(LinkTest, UnlinkedFromThePhoneLogsOutAndWipesTheKeysButNotTheData) {
  std::string jid = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty());
  add_chat("alice");

  auto unlinked = wasim_->post("/v1/unlink", {{"jid", jid}});
  EXPECT_TRUE(unlinked.value("was_connected", false));
  EXPECT_TRUE(eventually([&] { return link_state("alice") == "logged_out"; }, 30s));
  EXPECT_FALSE(has_credentials("alice"));
  EXPECT_EQ(rows("SELECT 1 FROM signal_prekeys"), 0);
  EXPECT_EQ(rows("SELECT 1 FROM chats"), 1);
  auto a = account_status("alice");
  EXPECT_FALSE(a.value("connected", true));
  EXPECT_NE(a.value("session", "").find("logged out"), std::string::npos) << a.dump();
  // And it stays logged out: no more attempts.
  auto seq = wasim_->last_seq();
  EXPECT_TRUE(wasim_->wait_event("type=connected", seq, 3s).is_null());
}

TEST_F(LinkTest, WacrmctlLogoutUnlinksTheCompanionAndKeepsTheData) {
  std::string jid = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty());
  add_chat("alice");

  auto unconfirmed = ctl({"logout", "alice"});
  EXPECT_EQ(unconfirmed.code, 1);
  EXPECT_NE(unconfirmed.err.find("--yes"), std::string::npos) << unconfirmed.err;
  EXPECT_EQ(link_state("alice"), "linked");

  auto seq = wasim_->last_seq();
  auto logout = ctl({"logout", "alice", "--yes"});
  ASSERT_EQ(logout.code, 0) << logout.err;
  EXPECT_NE(logout.out.find("Logged out 'alice'"), std::string::npos) << logout.out;
  EXPECT_TRUE(wasim_->wait_event(jid_query("unlinked", jid), seq, 10s).is_object());
  auto account = wasim_->get(std::string("/v1/accounts/") + kAlicePhone);
  for (const auto& companion : account["companions"]) EXPECT_NE(companion.value("jid", ""), jid);
  EXPECT_EQ(link_state("alice"), "logged_out");
  EXPECT_FALSE(has_credentials("alice"));
  EXPECT_EQ(rows("SELECT 1 FROM chats"), 1);

  // A logged-out account can be linked again, as a new device.
  std::string again = link("alice", kAlicePhone);
  EXPECT_FALSE(again.empty());
  EXPECT_NE(again, jid);
  EXPECT_EQ(link_state("alice"), "linked");
}

TEST_F(LinkTest, TwoAccountsConnectAtOnceAndFailIndependently) {
  std::string alice = add_linked("alice", kAlicePhone);
  std::string bob = add_linked("bob", kBobPhone);
  ASSERT_FALSE(alice.empty());
  ASSERT_FALSE(bob.empty());
  EXPECT_TRUE(wait_connected("alice", true, 30s));

  auto seq = wasim_->last_seq();
  wasim_->post("/v1/unlink", {{"jid", alice}});
  EXPECT_TRUE(eventually([&] { return link_state("alice") == "logged_out"; }, 30s));
  // Bob's session never noticed.
  EXPECT_TRUE(wasim_->wait_event(jid_query("connection_closed", bob), seq, 2s).is_null());
  EXPECT_EQ(link_state("bob"), "linked");
  EXPECT_TRUE(has_credentials("bob"));
  EXPECT_TRUE(wait_connected("bob", true, 10s));

  // Both come back after a restart... only Bob is still linked.
  seq = wasim_->last_seq();
  ASSERT_EQ(stop_daemon(), 0);
  start_daemon();
  EXPECT_TRUE(wasim_->wait_event(jid_query("login", bob), seq, 60s).is_object());
  EXPECT_TRUE(wait_connected("bob", true, 30s));
  EXPECT_FALSE(account_status("alice").value("connected", true));
}

TEST_F(LinkTest, APairSuccessWithABadAccountSignatureIsRefusedAndNothingIsStored) {
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "alice"}).code, 0);
  wasim_->post("/v1/faults", {{"account_signature", "bad"}});

  auto out = (dir_ / "login.out").string();
  ProcessOptions options;
  options.argv = {binary_dir() + "/ctl/wacrmctl", "--socket", socket_.string(), "--json", "login", "alice"};
  options.stdout_file = out;
  options.stderr_file = out + ".err";
  auto login = Process::spawn(options);
  std::string qr;
  ASSERT_TRUE(eventually([&] { return !(qr = first_qr(read_file(out))).empty(); }, 30s)) << read_file(out + ".err");
  auto scan = wasim_->admin().post("/v1/scan", {{"phone", kAlicePhone}, {"qr", qr}}, 30s);
  ASSERT_TRUE(scan);
  EXPECT_EQ(scan->status, 409) << scan->body.dump();
  auto code = login.wait_for(30s);
  EXPECT_EQ(code, 1);
  auto shown = read_file(out) + read_file(out + ".err");
  EXPECT_NE(shown.find("signature"), std::string::npos) << shown;

  EXPECT_EQ(link_state("alice"), "unlinked");
  EXPECT_FALSE(has_credentials("alice"));
  EXPECT_EQ(rows("SELECT 1 FROM signal_identities"), 0);

  // The fault was for one pairing: the next attempt links.
  EXPECT_FALSE(link("alice", kAlicePhone).empty());
}

TEST_F(LinkTest, ABadServerCertificateChainIsRefusedWithTheReason) {
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "alice"}).code, 0);
  wasim_->post("/v1/faults", {{"cert_chain", "wrong_root"}});
  auto login = ctl({"login", "alice"}, 60s);
  EXPECT_NE(login.code, 0);
  EXPECT_NE(login.err.find("certificate"), std::string::npos) << login.out << login.err;
  EXPECT_NE(login.err.find("root key"), std::string::npos) << login.err;
  EXPECT_EQ(link_state("alice"), "unlinked");
  EXPECT_FALSE(has_credentials("alice"));
}

// The companion's one-time pre-key count on wasim's side (-1: not found).
int server_pre_keys(Wasim& wasim, const std::string& phone, const std::string& jid) {
  nlohmann::json account = wasim.get("/v1/accounts/" + phone);
  for (const auto& companion : account.value("companions", nlohmann::json::array()))
    if (companion.value("jid", "") == jid) return companion.value("pre_keys", -1);
  return -1;
}

TEST_F(LinkTest, PreKeysRunningLowOnTheServerAreToppedUp) {
  std::string jid = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty());
  ASSERT_TRUE(wasim_->wait_event(jid_query("prekeys_uploaded", jid), 0, 30s).is_object());

  // Others fetched all but two of our keys: the server says so.
  auto seq = wasim_->last_seq();
  auto low = wasim_->post("/v1/prekeys_low", {{"jid", jid}, {"count", 2}});
  EXPECT_EQ(low.value("count", -1), 2);
  EXPECT_TRUE(low.value("notified", false));
  auto topped = wasim_->wait_event(jid_query("prekeys_uploaded", jid), seq, 30s);
  ASSERT_TRUE(topped.is_object()) << "no pre-key top-up\n" << daemon_log();
  int added = topped["data"].value("count", 0);
  EXPECT_GT(added, 0);
  EXPECT_EQ(topped["data"].value("total", 0), 2 + added);
  EXPECT_EQ(server_pre_keys(*wasim_, kAlicePhone, jid), 2 + added);
  EXPECT_TRUE(wait_connected("alice", true, 5s));
}

TEST_F(LinkTest, AKeepAliveTimeoutReconnects) {
  std::string jid = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(jid.empty());

  // wasim holds the connection open and answers nothing, pings included:
  // wacrmd's keep-alive must call it dead (nothing received for ~45 s) and reconnect.
  auto seq = wasim_->last_seq();
  ASSERT_EQ(wasim_->post("/v1/silence", {{"jid", jid}}).value("silenced", 0), 1);
  bool status_showed_it = false;
  EXPECT_TRUE(eventually(
      [&] {
        auto a = account_status("alice");
        auto session = a.is_object() ? a.value("session", "") : "";
        if (session.find("reconnecting in") != std::string::npos && session.find("connection lost") != std::string::npos)
          status_showed_it = true;
        auto log = daemon_log();
        return status_showed_it ||
               (log.find("reconnecting in") != std::string::npos && log.find("connection lost") != std::string::npos);
      },
      120s))
      << account_status("alice").dump() << "\n" << daemon_log();
  // The state lasts about a second (the first backoff step): wacrmctl status
  // catches it unless the machine is very busy; the log line is the same text.
  if (!status_showed_it) std::cerr << "note: the reconnecting state was seen in the log only\n";
  EXPECT_TRUE(wasim_->wait_event(jid_query("login", jid), seq, 60s).is_object()) << "no reconnect";
  EXPECT_TRUE(wait_connected("alice", true, 30s));
  EXPECT_EQ(link_state("alice"), "linked");
}

TEST_F(LinkTest, LoginFailuresAreReportedAndHandledAsTheirReasonSays) {
  std::string alice = add_linked("alice", kAlicePhone);
  ASSERT_FALSE(alice.empty());
  std::string bob = add_linked("bob", kBobPhone);
  ASSERT_FALSE(bob.empty());
  auto session_of = [&](const std::string& account) {
    auto a = account_status(account);
    return a.is_object() ? a.value("session", "") : std::string();
  };
  auto relogin_fails_with = [&](const std::string& jid, nlohmann::json failure) {
    failure["jid"] = jid;
    wasim_->post("/v1/fail_login", failure);
    EXPECT_EQ(wasim_->post("/v1/drop", {{"jid", jid}}).value("dropped", 0), 1);
  };

  // 402: temporarily banned -- say why and for how long, retry once it ends.
  auto seq = wasim_->last_seq();
  relogin_fails_with(alice, {{"reason", 402}, {"code", 101}, {"expire", 4}});
  EXPECT_TRUE(eventually([&] { return session_of("alice").find("temporarily banned") != std::string::npos; }, 60s))
      << session_of("alice");
  auto banned = session_of("alice");
  EXPECT_NE(banned.find("reconnecting in"), std::string::npos) << banned;
  EXPECT_NE(banned.find("code 101"), std::string::npos) << banned;
  EXPECT_NE(banned.find("login failure 402"), std::string::npos) << banned;
  EXPECT_TRUE(wasim_->wait_event("type=login_refused&failure=402", seq, 5s).is_object());
  EXPECT_TRUE(wasim_->wait_event(jid_query("login", alice), seq, 60s).is_object()) << "no retry after the ban";
  EXPECT_TRUE(wait_connected("alice", true, 30s));
  EXPECT_TRUE(has_credentials("alice"));

  // 403: the account is locked -- the server's words shown, keys wiped, no more attempts.
  relogin_fails_with(alice, {{"reason", 403}, {"header", "Your account is locked"}});
  EXPECT_TRUE(eventually([&] { return link_state("alice") == "logged_out"; }, 60s)) << session_of("alice");
  auto locked = session_of("alice");
  EXPECT_NE(locked.find("logged out"), std::string::npos) << locked;
  EXPECT_NE(locked.find("Your account is locked"), std::string::npos) << locked;
  EXPECT_NE(locked.find("login failure 403"), std::string::npos) << locked;
  EXPECT_FALSE(has_credentials("alice"));

  // 406: banned -- logged out the same way; the other account is untouched meanwhile.
  EXPECT_TRUE(wait_connected("bob", true, 5s));
  relogin_fails_with(bob, {{"reason", 406}});
  EXPECT_TRUE(eventually([&] { return link_state("bob") == "logged_out"; }, 60s)) << session_of("bob");
  auto bob_session = session_of("bob");
  EXPECT_NE(bob_session.find("banned"), std::string::npos) << bob_session;
  EXPECT_NE(bob_session.find("login failure 406"), std::string::npos) << bob_session;
  EXPECT_FALSE(has_credentials("bob"));
  auto after = wasim_->last_seq();
  EXPECT_TRUE(wasim_->wait_event("type=connected", after, 3s).is_null()) << "a logged-out account tried again";
}

}  // namespace
}  // namespace wacrm::testing
