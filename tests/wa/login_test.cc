// Login outcomes (notes 01 §7.2, §8.1, §8.2): every failure reason and stream
// error maps to what the session must do next.
#include "wa/login.h"

#include <gtest/gtest.h>

namespace wacrm::wa {
namespace {

using wire::Node;

Node failure(std::string reason, std::vector<wire::Attr> extra = {}) {
  Node n("failure", {{"reason", std::move(reason)}});
  for (auto& a : extra) n.attrs.push_back(std::move(a));
  return n;
}

Node stream_error(std::string code, std::string conflict = {}) {
  Node n("stream:error");
  if (!code.empty()) n.set_attr("code", std::move(code));
  if (!conflict.empty()) n.content = Node::Children{Node("conflict", {{"type", std::move(conflict)}})};
  return n;
}

TEST(Login, SuccessGivesServerTimeAndLid) {
  auto s = parse_success(Node("success", {{"t", "1700000000"}, {"lid", "123456789012345:12@lid"}}));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->server_time, 1700000000);
  EXPECT_EQ(s->lid, "123456789012345:12@lid");
  EXPECT_FALSE(parse_success(Node("failure")));
}

TEST(Login, LoggedOutFailuresWipeAndStop) {
  for (std::string reason : {"401", "403", "406"}) {
    Disconnect d = classify_failure(failure(reason));
    EXPECT_EQ(d.kind, DisconnectKind::logged_out) << reason;
    EXPECT_TRUE(d.logs_out());
    EXPECT_FALSE(d.retries());
    EXPECT_NE(d.reason.find(reason), std::string::npos) << d.reason;
  }
}

TEST(Login, ALockedAccountSaysWhatTheServerSaid) {
  Disconnect d = classify_failure(failure(
      "403", {{"logout_message_header", "Your account is locked"}, {"logout_message_subtext", "Open WhatsApp on your phone"}}));
  EXPECT_EQ(d.kind, DisconnectKind::logged_out);
  EXPECT_NE(d.reason.find("locked"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("\"Your account is locked - Open WhatsApp on your phone\""), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("(login failure 403)"), std::string::npos) << d.reason;
  EXPECT_NE(classify_failure(failure("406")).reason.find("banned"), std::string::npos);
}

TEST(Login, ClientOutdatedNamesTheVersionOption) {
  Disconnect d = classify_failure(failure("405"));
  EXPECT_EQ(d.kind, DisconnectKind::client_outdated);
  EXPECT_FALSE(d.retries());
  EXPECT_NE(d.reason.find("whatsapp.version"), std::string::npos) << d.reason;
}

TEST(Login, TemporaryBanRetriesAfterItsExpiry) {
  Disconnect d = classify_failure(failure("402", {{"code", "101"}, {"expire", "3600"}}));
  EXPECT_EQ(d.kind, DisconnectKind::temporarily_banned);
  EXPECT_TRUE(d.retries());
  ASSERT_TRUE(d.retry_after);
  EXPECT_EQ(d.retry_after->count(), 3600);
  EXPECT_NE(d.reason.find("101"), std::string::npos);
  EXPECT_NE(d.reason.find("do not have this number saved"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("for 3600 s"), std::string::npos) << d.reason;
  Disconnect unknown = classify_failure(failure("402", {{"code", "199"}}));
  EXPECT_EQ(unknown.reason, "temporarily banned (code 199) (login failure 402)");
  EXPECT_FALSE(unknown.retry_after);
}

TEST(Login, OtherFailuresRetryWithBackoff) {
  for (std::string reason : {"400", "415", "500", "503"}) {
    Disconnect d = classify_failure(failure(reason));
    EXPECT_EQ(d.kind, DisconnectKind::login_failed) << reason;
    EXPECT_TRUE(d.retries());
  }
  EXPECT_EQ(classify_failure(Node("failure")).kind, DisconnectKind::login_failed);  // no reason: 500
  EXPECT_EQ(classify_failure(failure("409")).kind, DisconnectKind::bad_user_agent);
}

TEST(Login, StreamErrors) {
  EXPECT_EQ(classify_stream_error(stream_error("515")).kind, DisconnectKind::restart_required);
  EXPECT_TRUE(classify_stream_error(stream_error("515")).retries());
  Disconnect removed = classify_stream_error(stream_error("401", "device_removed"));
  EXPECT_EQ(removed.kind, DisconnectKind::logged_out);
  EXPECT_NE(removed.reason.find("device_removed"), std::string::npos);
  Disconnect replaced = classify_stream_error(stream_error("", "replaced"));
  EXPECT_EQ(replaced.kind, DisconnectKind::replaced);
  EXPECT_FALSE(replaced.retries());
  EXPECT_EQ(classify_stream_error(stream_error("503")).kind, DisconnectKind::server_closed);
  EXPECT_TRUE(classify_stream_error(stream_error("503")).retries());
  Node condition("stream:error", {}, Node::Children{Node("xml-not-well-formed")});
  Disconnect other = classify_stream_error(condition);
  EXPECT_EQ(other.kind, DisconnectKind::server_closed);
  EXPECT_NE(other.reason.find("xml-not-well-formed"), std::string::npos);
}

}  // namespace
}  // namespace wacrm::wa
