// Receiving messages end to end (issue #6): wasim's simulated person encrypts
// real Messages to the real wacrmd's linked device; wacrmd decrypts, stores
// in the test PostgreSQL, and acknowledges -- including what was sent while
// wacrmd was down. Every wait has a timeout.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "integration/link_fixture.h"
#include "support/test_env.h"

namespace wacrm::testing {
namespace {

using namespace std::chrono_literals;
using wasim::url_encode;

constexpr const char* kAlicePhone = "15550001111";  // our account's number
constexpr const char* kBobPhone = "15550002222";    // a simulated person
const std::string kBob = std::string(kBobPhone) + "@s.whatsapp.net";

class MessagesTest : public LinkTest {
 protected:
  // wacrmd running with account "alice" linked and connected.
  void link_alice() {
    start_daemon();
    ASSERT_EQ(ctl({"account", "add", "alice"}).code, 0);
    device_ = link("alice", kAlicePhone);
    ASSERT_FALSE(device_.empty());
    ASSERT_TRUE(wait_connected("alice", true, 30s));
  }

  // Bob sends `message` (protobuf JSON of wa.Message) or a text; the id.
  std::string send(nlohmann::json body) {
    body["from"] = kBobPhone;
    body["to"] = kAlicePhone;
    auto sent = wasim_->post("/v1/send", body);
    EXPECT_TRUE(sent.is_object() && sent.contains("id")) << sent.dump();
    return sent.is_object() ? sent.value("id", "") : "";
  }

  // kind|body of the stored message (waits up to 30 s for it).
  std::string stored(const std::string& id) {
    std::string found;
    eventually(
        [&] {
          auto r = conn_->exec(
              "SELECT kind || '|' || coalesce(body, '') FROM messages WHERE wa_id = $1 AND kind <> 'placeholder'",
              {store::pg_text(id)});
          if (!r || r->rows() != 1) return false;
          found = std::string(r->text(0, 0));
          return true;
        },
        30s);
    return found;
  }

  std::string column(const std::string& sql, const std::string& id) {
    auto r = conn_->exec(sql, {store::pg_text(id)});
    return r && r->rows() == 1 ? std::string(r->text(0, 0)) : "<none>";
  }

  std::string device_;
};

TEST_F(MessagesTest, EveryContentTypeFromASimulatedPersonIsStoredAndAcknowledged) {
  link_alice();
  const auto seq = wasim_->last_seq();
  const std::string hello = send({{"text", "Hi Alice!"}});
  EXPECT_EQ(stored(hello), "text|Hi Alice!");
  // Acknowledged after the commit: wasim saw our ack and our delivery receipt.
  EXPECT_TRUE(wasim_->wait_event("type=message_acked&id=" + url_encode(hello), seq, 30s).is_object());
  EXPECT_TRUE(wasim_->wait_event("type=receipt&id=" + url_encode(hello), seq, 30s).is_object());
  EXPECT_EQ(column("SELECT sender_jid FROM messages WHERE wa_id = $1", hello), kBob);
  EXPECT_EQ(column("SELECT c.push_name FROM messages m JOIN contacts c ON c.id = m.sender_contact_id "
                   "WHERE m.wa_id = $1",
                   hello),
            "Bob");

  struct Case {
    std::string message;   // wa.Message in protobuf JSON
    std::string expected;  // kind|body
  };
  const std::string reply = R"({"extendedTextMessage": {"text": "replying", "contextInfo": {"stanzaId": ")" + hello +
                            R"("}}})";
  const std::string like = R"({"reactionMessage": {"key": {"remoteJid": "15550001111@s.whatsapp.net", "fromMe": true,
                               "id": ")" + hello + R"("}, "text": "👍"}})";
  const std::vector<Case> cases = {
      {reply, "text|replying"},
      {R"({"imageMessage": {"mimetype": "image/jpeg", "caption": "a photo", "fileLength": "2048",
                            "width": 640, "height": 480}})",
       "image|a photo"},
      {R"({"videoMessage": {"mimetype": "video/mp4", "seconds": 9}})", "video|"},
      {R"({"audioMessage": {"mimetype": "audio/ogg", "ptt": true, "seconds": 4}})", "voice|"},
      {R"({"documentWithCaptionMessage": {"message": {"documentMessage": {"fileName": "plan.pdf",
                                                                          "caption": "the plan"}}}})",
       "document|the plan"},
      {R"({"stickerMessage": {"mimetype": "image/webp"}})", "sticker|"},
      {R"({"locationMessage": {"degreesLatitude": 52.52, "degreesLongitude": 13.4, "name": "Cafe"}})",
       "location|Cafe"},
      {R"({"liveLocationMessage": {"degreesLatitude": 52.52, "caption": "on my way"}})", "live_location|on my way"},
      {R"({"contactMessage": {"displayName": "Carol", "vcard": "BEGIN:VCARD\nFN:Carol\nEND:VCARD"}})",
       "contact|Carol"},
      {R"({"contactsArrayMessage": {"contacts": [{"displayName": "Carol"}, {"displayName": "Dave"}]}})",
       "contacts|Carol, Dave"},
      {R"({"ephemeralMessage": {"message": {"conversation": "vanishing"}}})", "text|vanishing"},
      {R"({"viewOnceMessageV2": {"message": {"imageMessage": {"caption": "once"}}}})", "image|once"},
      {R"({"pollCreationMessageV3": {"name": "Lunch?", "options": [{"optionName": "pizza"}, {"optionName": "soup"}]}})",
       "poll|Lunch?\n- pizza\n- soup"},
      {like, "reaction|👍"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    const std::string id = send({{"message", nlohmann::json::parse(c.message)}});
    EXPECT_EQ(stored(id), c.expected);
  }

  // An edit keeps the history; a revoke keeps the body.
  const std::string typo = send({{"text", "see you at 8"}});
  ASSERT_EQ(stored(typo), "text|see you at 8");
  const std::string key = R"({"remoteJid": "15550001111@s.whatsapp.net", "fromMe": true, "id": ")" + typo + R"("})";
  send({{"message", nlohmann::json::parse(R"({"editedMessage": {"message": {"protocolMessage": {"key": )" + key +
                                          R"(, "type": 14, "editedMessage": {"conversation": "see you at 9"}}}}})")}});
  EXPECT_TRUE(eventually([&] { return column("SELECT body FROM messages WHERE wa_id = $1", typo) == "see you at 9"; },
                         30s));
  EXPECT_EQ(column("SELECT e.previous_body FROM message_edits e JOIN messages m ON m.id = e.message_id "
                   "WHERE m.wa_id = $1",
                   typo),
            "see you at 8");
  send({{"message", nlohmann::json::parse(R"({"protocolMessage": {"key": )" + key + R"(, "type": 0}})")}});
  EXPECT_TRUE(eventually(
      [&] { return column("SELECT (deleted_at IS NOT NULL)::text FROM messages WHERE wa_id = $1", typo) == "true"; },
      30s));
  EXPECT_EQ(column("SELECT body FROM messages WHERE wa_id = $1", typo), "see you at 9");

  // And wacrmctl shows them.
  auto listed = ctl({"messages", "alice", "--contact", kBobPhone, "--limit", "5"});
  EXPECT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find("see you at 9 (edited) (deleted)"), std::string::npos) << listed.out;
  EXPECT_EQ(rows("SELECT 1 FROM messages WHERE kind = 'placeholder'"), 0);
}

TEST_F(MessagesTest, MessagesSentWhileTheDaemonIsDownArriveAfterTheRestartOnce) {
  link_alice();
  const std::string before = send({{"text", "before the restart"}});
  ASSERT_EQ(stored(before), "text|before the restart");

  ASSERT_EQ(stop_daemon(), 0);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(send({{"text", "while down " + std::to_string(i)}}));
  const auto seq = wasim_->last_seq();
  start_daemon();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(stored(ids[static_cast<std::size_t>(i)]), "text|while down " + std::to_string(i));
  for (const auto& id : ids)
    EXPECT_TRUE(wasim_->wait_event("type=message_acked&id=" + url_encode(id), seq, 30s).is_object()) << id;

  // Once each, also after another restart (nothing is left pending at wasim).
  ASSERT_EQ(stop_daemon(), 0);
  start_daemon();
  ASSERT_TRUE(wait_connected("alice", true, 30s));
  const std::string after = send({{"text", "after"}});
  EXPECT_EQ(stored(after), "text|after");
  EXPECT_EQ(rows("SELECT wa_id FROM messages GROUP BY wa_id HAVING count(*) > 1"), 0);
  EXPECT_EQ(rows("SELECT 1 FROM messages WHERE kind = 'text'"), 5);
}

TEST_F(MessagesTest, KilledBetweenDecryptAndCommitTheMessageArrivesAfterTheRestartOnce) {
  link_alice();
  ASSERT_EQ(stored(send({{"text", "a session first"}})), "text|a session first");
  const auto sessions_before = rows("SELECT record FROM signal_sessions WHERE name = '15550002222'");
  ASSERT_EQ(sessions_before, 1);
  auto session_record = [&] {
    return column("SELECT encode(record, 'hex') FROM signal_sessions WHERE name = $1", kBobPhone);
  };
  const std::string record = session_record();
  // The phone's key share, sent right after linking, must be committed before
  // the failpoint is armed; otherwise wacrmd dies on it instead of on ours.
  const auto key_share = wasim_->wait_event("type=key_share_sent", 0, 30s);
  ASSERT_TRUE(key_share.is_object());
  const std::string key_share_id = key_share["data"].value("id", "");
  ASSERT_TRUE(wasim_->wait_event("type=confirmed&id=" + url_encode(key_share_id), 0, 30s).is_object())
      << "the key share " << key_share_id << " was never confirmed";

  // wacrmd dies (SIGKILL) after decrypting and writing, before the commit.
  ASSERT_EQ(stop_daemon(), 0);
  ::setenv("WACRM_TEST_KILL_BEFORE_COMMIT", "1", 1);
  start_daemon();
  ::unsetenv("WACRM_TEST_KILL_BEFORE_COMMIT");
  ASSERT_TRUE(wait_connected("alice", true, 30s));
  const std::string id = send({{"text", "crash test"}});
  ASSERT_TRUE(eventually([&] { return !daemon_->running(); }, 30s)) << "wacrmd was not killed";
  daemon_->wait_for(10s);
  EXPECT_EQ(rows("SELECT 1 FROM messages WHERE wa_id = '" + id + "'"), 0);  // nothing committed
  EXPECT_EQ(session_record(), record);                                      // the ratchet did not move

  // The server still has it (never acknowledged): after the restart it
  // decrypts against the unchanged state and is stored once.
  std::filesystem::remove(socket_);  // left behind by the killed process
  start_daemon();
  EXPECT_EQ(stored(id), "text|crash test");
  EXPECT_EQ(rows("SELECT 1 FROM messages WHERE wa_id = '" + id + "'"), 1);
  EXPECT_EQ(rows("SELECT 1 FROM messages WHERE kind = 'placeholder'"), 0);
  EXPECT_NE(session_record(), record);
}

// A group the account was in before this device was linked sends the device
// no w:gp2 notification; wacrmd asks for the groups it is in after login
// (w:g2 participating) and stores their subjects before any message.
TEST_F(MessagesTest, GroupsJoinedBeforeLinkingGetTheirSubjectsAtLogin) {
  start_daemon();
  ASSERT_EQ(ctl({"account", "add", "alice"}).code, 0);
  ASSERT_TRUE(wasim_->post("/v1/accounts", {{"phone", "15550003333"}, {"push_name", "Carol"}}).is_object());
  const std::string group = "120363000000000077@g.us";
  ASSERT_TRUE(wasim_->post("/v1/groups", {{"id", group},
                                          {"subject", "Climbing, Thursdays"},
                                          {"creator", "15550003333"},
                                          {"participants", {kAlicePhone}}})
                  .is_object());
  device_ = link("alice", kAlicePhone);
  ASSERT_FALSE(device_.empty());
  ASSERT_TRUE(wait_connected("alice", true, 30s));
  EXPECT_TRUE(eventually(
      [&] { return column("SELECT subject FROM chats WHERE jid = $1 AND is_group", group) == "Climbing, Thursdays"; },
      30s));
  auto chats = ctl({"--json", "chats", "alice"});
  EXPECT_NE(chats.out.find("Climbing, Thursdays"), std::string::npos) << chats.out;
}

// Issue #6 "Group messages from three simulated members": wasim's members
// send as phones do (the sender key to each device in a pkmsg/msg, the text in
// one skmsg), the server fans out <message from=group participant=member>.
TEST_F(MessagesTest, GroupMessagesFromThreeSimulatedMembersAreStoredWithTheirSenders) {
  link_alice();
  const std::vector<std::string> members = {kBobPhone, "15550003333", "15550004444"};
  ASSERT_TRUE(wasim_->post("/v1/accounts", {{"phone", members[1]}, {"push_name", "Carol"}}).is_object());
  ASSERT_TRUE(wasim_->post("/v1/accounts", {{"phone", members[2]}, {"push_name", "Dave"}}).is_object());
  const std::string group = "120363000000000042@g.us";
  auto made = wasim_->post("/v1/groups", {{"id", group},
                                          {"subject", "Book club"},
                                          {"creator", kBobPhone},
                                          {"participants", {kAlicePhone, members[1], members[2]}}});
  ASSERT_TRUE(made.is_object());
  EXPECT_EQ(made.value("jid", ""), group);
  // wacrmd learns the group from the server's w:gp2 <create> notification: a group chat with its subject.
  EXPECT_TRUE(eventually(
      [&] { return column("SELECT subject FROM chats WHERE jid = $1 AND is_group", group) == "Book club"; }, 30s));

  const auto seq = wasim_->last_seq();
  auto send_to_group = [&](const std::string& from, const std::string& text) {
    auto sent = wasim_->post("/v1/send", {{"from", from}, {"to", group}, {"text", text}});
    EXPECT_TRUE(sent.is_object() && sent["devices"].size() == 1) << sent.dump();  // alice's one companion
    return sent;
  };
  std::vector<std::string> ids;
  for (const auto& member : members) {
    auto sent = send_to_group(member, "hello from " + member);
    ASSERT_TRUE(sent.is_object());
    // First message: the sender key one-to-one, then the skmsg.
    EXPECT_EQ(sent["devices"][0]["types"], nlohmann::json({"pkmsg", "skmsg"})) << sent.dump();
    ids.push_back(sent.value("id", ""));
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    SCOPED_TRACE(members[i]);
    EXPECT_EQ(stored(ids[i]), "text|hello from " + members[i]);
    EXPECT_EQ(column("SELECT sender_jid FROM messages WHERE wa_id = $1", ids[i]), members[i] + "@s.whatsapp.net");
    EXPECT_EQ(column("SELECT c.jid || '|' || c.is_group::text FROM messages m JOIN chats c ON c.id = m.chat_id "
                     "WHERE m.wa_id = $1",
                     ids[i]),
              group + "|true");
    EXPECT_TRUE(wasim_->wait_event("type=message_acked&id=" + url_encode(ids[i]), seq, 30s).is_object());
  }
  // Later messages need only the skmsg: the device holds the sender key.
  auto again = send_to_group(kBobPhone, "and again");
  ASSERT_TRUE(again.is_object());
  EXPECT_EQ(again["devices"][0]["types"], nlohmann::json({"skmsg"})) << again.dump();
  EXPECT_EQ(stored(again.value("id", "")), "text|and again");

  // A damaged skmsg: wacrmd asks Carol's phone (receipt to the group, participant Carol), which sends the
  // message again one-to-one with her sender key in it.
  auto seq_retry = wasim_->last_seq();
  ASSERT_TRUE(wasim_->post("/v1/corrupt-next", {{"phone", members[1]}}).is_object());
  auto damaged = send_to_group(members[1], "damaged in the group");
  ASSERT_TRUE(damaged.is_object());
  const std::string damaged_id = damaged.value("id", "");
  auto resent = wasim_->wait_event("type=retry_resent&id=" + url_encode(damaged_id), seq_retry, 30s);
  ASSERT_TRUE(resent.is_object()) << "no group retry answered";
  EXPECT_EQ(stored(damaged_id), "text|damaged in the group");
  EXPECT_EQ(column("SELECT sender_jid FROM messages WHERE wa_id = $1", damaged_id), members[1] + "@s.whatsapp.net");

  auto listed = ctl({"messages", "alice", "--chat", group});
  EXPECT_EQ(listed.code, 0) << listed.err;
  for (const auto& member : members)
    EXPECT_NE(listed.out.find("hello from " + member), std::string::npos) << listed.out;
  EXPECT_EQ(rows("SELECT 1 FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.jid = '" + group + "'"), 5);
  EXPECT_EQ(rows("SELECT 1 FROM messages WHERE kind = 'placeholder'"), 0);
}

// Issue #6 "A corrupted ciphertext gives a placeholder and a retry receipt, and
// no crash": wasim damages Bob's ciphertexts; wacrmd stores a placeholder and
// asks again; Bob's phone sends the message again (same id) and it replaces
// the placeholder, stored once.
TEST_F(MessagesTest, ACorruptedCiphertextIsRetriedAndTheResentMessageReplacesThePlaceholder) {
  link_alice();
  ASSERT_EQ(stored(send({{"text", "a session first"}})), "text|a session first");

  // Once: the first retry receipt (no keys) is answered on the same session.
  auto seq = wasim_->last_seq();
  ASSERT_TRUE(wasim_->post("/v1/corrupt-next", {{"phone", kBobPhone}}).is_object());
  const std::string damaged = send({{"text", "damaged on the way"}});
  auto resent = wasim_->wait_event("type=retry_resent&id=" + url_encode(damaged), seq, 30s);
  ASSERT_TRUE(resent.is_object()) << "no retry receipt answered for " << damaged;
  EXPECT_EQ(resent["data"].value("count", 0), 1);
  EXPECT_EQ(resent["data"].value("fresh_session", true), false);
  auto receipts = wasim_->get("/v1/events?type=receipt&id=" + url_encode(damaged) + "&after=" + std::to_string(seq));
  ASSERT_TRUE(receipts.is_object());
  bool retry_receipt = false;
  for (const auto& event : receipts["events"]) retry_receipt |= event["data"].value("type", "") == "retry";
  EXPECT_TRUE(retry_receipt) << receipts.dump();
  EXPECT_EQ(stored(damaged), "text|damaged on the way");
  // It was a placeholder first: the retry count stays on the row.
  EXPECT_EQ(column("SELECT decrypt_retries::text FROM messages WHERE wa_id = $1", damaged), "1");

  // Twice: the second retry receipt carries wacrmd's keys and the phone starts over from them.
  seq = wasim_->last_seq();
  ASSERT_TRUE(wasim_->post("/v1/corrupt-next", {{"phone", kBobPhone}, {"times", 2}}).is_object());
  const std::string twice = send({{"text", "damaged twice"}});
  auto fresh = wasim_->wait_event("type=retry_resent&id=" + url_encode(twice) + "&count=2", seq, 30s);
  ASSERT_TRUE(fresh.is_object()) << "no second retry answered for " << twice;
  EXPECT_EQ(fresh["data"].value("fresh_session", false), true);
  EXPECT_EQ(fresh["data"].value("type", ""), "pkmsg");
  EXPECT_EQ(stored(twice), "text|damaged twice");

  // Each stored once, no placeholder left, and wacrmd is still there.
  EXPECT_TRUE(daemon_->running());
  for (const auto& id : {damaged, twice}) EXPECT_EQ(rows("SELECT 1 FROM messages WHERE wa_id = '" + id + "'"), 1);
  EXPECT_EQ(rows("SELECT 1 FROM messages WHERE kind = 'placeholder'"), 0);
  EXPECT_EQ(stored(send({{"text", "after the retries"}})), "text|after the retries");
}

}  // namespace
}  // namespace wacrm::testing
