// The message handler end to end below the socket: "remote phones" with real
// libsignal state in memory (as wasim's simulated people will have) encrypt
// real, padded Message protobufs to our account, whose identity and
// pre-keys live in PostgreSQL; their <message> stanzas go through the
// handler, and we look at what was stored, what it would send, and the
// Signal state it left.
#include "wa/message_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "support/test_database.h"
#include "wa/client_payload.h"
#include "wa/message_test_support.h"
#include "pg_message_access.h"
#include "wa/receipt_handler.h"

namespace wacrm::wa {
namespace {

using ::testing::HasSubstr;
using store::PgParam;
using store::PgResult;
using store::pg_int;
using store::pg_text;
using namespace testing;

class MessageHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.apply_schema();
    LinkedAccount linked = link_account(context_, conn_);
    account_ = linked.account_id;
    identity_ = linked.identity;
    pre_keys_ = linked.pre_keys;
    handler_ = std::make_unique<MessageHandler>(context_, linked.config);
  }

  HandleResult handle(const wire::Node& node) {
    daemon::PgMessageStores stores(conn_, account_);
    HandleResult result = handler_->handle_message(node, stores);
    EXPECT_FALSE(result.error) << result.error->to_string();
    return result;
  }

  PgResult query(std::string_view sql, const std::vector<PgParam>& params = {}) {
    auto r = conn_.exec(sql, params);
    EXPECT_TRUE(r) << r.error().to_string();
    return std::move(r).value_or(PgResult{});
  }
  std::int64_t count(std::string_view sql, const std::vector<PgParam>& params = {}) {
    return query(sql, params).int64(0, 0);
  }
  // One column of the message with this id.
  std::string column(std::string_view column, const std::string& wa_id) {
    auto r = query("SELECT coalesce(" + std::string(column) + "::text, '<null>') FROM messages WHERE wa_id = $1",
                   {pg_text(wa_id)});
    return r.rows() == 1 ? std::string(r.text(0, 0)) : "<" + std::to_string(r.rows()) + " rows>";
  }
  // We answer p (on our stored session), so that p sends `msg` from now on.
  void answer(Phone& p) {
    store::PgSignalStore ours(conn_, account_);
    signal::Protocol protocol(context_, ours);
    p.receive(protocol.encrypt(p.address(), signal::add_padding(as_bytes(std::string("ok")), 3)).value());
  }
  // A `msg` from p whose MAC no longer matches.
  signal::Ciphertext corrupted(Phone& p, const Message& m) {
    signal::Ciphertext c = p.encrypt(m);
    EXPECT_EQ(c.type, signal::MessageType::msg);
    c.bytes[c.bytes.size() - 3] ^= 0x40;  // inside the 8-byte MAC
    return c;
  }
  bool has_pre_key(std::uint32_t id) { return store::PgSignalStore(conn_, account_).contains_pre_key(id).value(); }

  // A phone with a session to us, built on the next unused one-time pre-key.
  std::unique_ptr<Phone> phone(std::string user, std::string server = "s.whatsapp.net", int device = 0) {
    auto p = std::make_unique<Phone>(context_, std::move(user), std::move(server), device);
    p->connect(identity_, pre_keys_.at(next_pre_key_++));
    return p;
  }

  // Sends `m` from `p` as a 1:1 message and expects it stored.
  HandleResult deliver(Phone& p, const std::string& id, const Message& m, std::vector<wire::Attr> extra = {}) {
    auto result = handle(stanza(id, p.jid().to_string(), {enc(p.encrypt(m))}, std::move(extra)));
    EXPECT_EQ(column("kind", id).front() == '<', false) << "message " << id << " was not stored";
    return result;
  }

  signal::Context context_ = make_context();
  wacrm::testing::TestDatabase db_;
  store::PgConnection conn_ = db_.connect();
  std::int64_t account_ = 0;
  store::SignalLocalIdentity identity_;
  std::vector<signal::PreKey> pre_keys_;
  std::size_t next_pre_key_ = 0;
  std::unique_ptr<MessageHandler> handler_;
};

// ---- one message, its receipt and its ack ------------------------------------

TEST_F(MessageHandlerTest, TextIsStoredThenReceiptedAndAcked) {
  auto alice = phone("491700000001");
  auto result = deliver(*alice, "3EB0A1", text("hello"), {{"notify", "Alice"}});

  ASSERT_EQ(result.send.size(), 2u);
  const wire::Node& receipt = result.send[0];
  EXPECT_EQ(receipt.tag, "receipt");
  EXPECT_EQ(attr(receipt, "id"), "3EB0A1");
  EXPECT_EQ(attr(receipt, "to"), "491700000001@s.whatsapp.net");
  EXPECT_EQ(attr(receipt, "type"), "inactive");  // not "available" yet
  const wire::Node& ack = result.send[1];
  EXPECT_EQ(ack.tag, "ack");
  EXPECT_EQ(attr(ack, "class"), "message");
  EXPECT_EQ(attr(ack, "id"), "3EB0A1");
  EXPECT_EQ(attr(ack, "to"), "491700000001@s.whatsapp.net");
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events[0].type, MessageEvent::Type::stored);
  EXPECT_EQ(result.events[0].kind, "text");

  auto r = query("SELECT m.body, m.sender_jid, m.from_me, crm_epoch_us(m.sent_at), m.push_name, m.raw, c.jid, "
                 "p.push_name, crm_epoch_us(p.last_inbound_at) FROM messages m JOIN chats c ON c.id = m.chat_id "
                 "JOIN contacts p ON p.id = m.sender_contact_id");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), "hello");
  EXPECT_EQ(r.text(0, 1), "491700000001@s.whatsapp.net");
  EXPECT_FALSE(r.boolean(0, 2));
  EXPECT_EQ(r.int64(0, 3), kT0 * 1'000'000);
  EXPECT_EQ(r.text(0, 4), "Alice");
  EXPECT_EQ(r.bytes(0, 5), serialized(text("hello")));
  EXPECT_EQ(r.text(0, 6), "491700000001@s.whatsapp.net");
  EXPECT_EQ(r.text(0, 7), "Alice");
  EXPECT_EQ(r.int64(0, 8), kT0 * 1'000'000);
  // The pkmsg consumed its one-time pre-key, in the same commit.
  EXPECT_FALSE(has_pre_key(1));
  EXPECT_TRUE(has_pre_key(2));

  handler_->set_available(true);
  auto second = deliver(*alice, "3EB0A2", text("again"));
  EXPECT_EQ(attr(second.send[0], "type"), "<none>");  // plain delivery receipt
}

// ---- content types ---------------------------------------------------------

TEST_F(MessageHandlerTest, EveryContentTypeIsStoredWithItsFieldsAndRawBytes) {
  auto alice = phone("491700000001");
  struct Case {
    std::string id;
    Message message;
    std::string kind;
    std::string body;
  };
  std::vector<Case> cases;
  auto add = [&](std::string kind, std::string body, auto&& fill) {
    Case c{"C" + std::to_string(cases.size()), Message{}, std::move(kind), std::move(body)};
    fill(c.message);
    cases.push_back(std::move(c));
  };
  add("text", "plain", [](Message& m) { m.set_conversation("plain"); });
  add("text", "a reply", [](Message& m) {
    m.mutable_extended_text_message()->set_text("a reply");
    m.mutable_extended_text_message()->mutable_context_info()->set_stanza_id("C0");
  });
  add("image", "look", [](Message& m) {
    auto* image = m.mutable_image_message();
    image->set_caption("look");
    image->set_mimetype("image/jpeg");
    image->set_file_length(54321);
    image->set_width(800);
    image->set_height(600);
    image->set_media_key(std::string(32, 'k'));
    image->set_direct_path("/v/t62.7118-24/1");
  });
  add("video", "clip", [](Message& m) {
    m.mutable_video_message()->set_caption("clip");
    m.mutable_video_message()->set_mimetype("video/mp4");
    m.mutable_video_message()->set_seconds(12);
  });
  add("audio", "<null>", [](Message& m) { m.mutable_audio_message()->set_mimetype("audio/mpeg"); });
  add("voice", "<null>", [](Message& m) {
    m.mutable_audio_message()->set_mimetype("audio/ogg; codecs=opus");
    m.mutable_audio_message()->set_ptt(true);
    m.mutable_audio_message()->set_seconds(7);
  });
  add("document", "the contract", [](Message& m) {
    // A document with a caption comes in its own wrapper.
    auto* doc = m.mutable_document_with_caption_message()->mutable_message()->mutable_document_message();
    doc->set_file_name("contract.pdf");
    doc->set_caption("the contract");
    doc->set_mimetype("application/pdf");
  });
  add("sticker", "<null>", [](Message& m) { m.mutable_sticker_message()->set_mimetype("image/webp"); });
  add("location", "Home\nMain Street 1", [](Message& m) {
    m.mutable_location_message()->set_degrees_latitude(52.5);
    m.mutable_location_message()->set_degrees_longitude(13.4);
    m.mutable_location_message()->set_name("Home");
    m.mutable_location_message()->set_address("Main Street 1");
  });
  add("live_location", "on my way", [](Message& m) {
    m.mutable_live_location_message()->set_degrees_latitude(52.5);
    m.mutable_live_location_message()->set_caption("on my way");
  });
  add("contact", "Carol", [](Message& m) {
    m.mutable_contact_message()->set_display_name("Carol");
    m.mutable_contact_message()->set_vcard("BEGIN:VCARD\nFN:Carol\nEND:VCARD");
  });
  add("contacts", "Carol, Dave", [](Message& m) {
    auto* array = m.mutable_contacts_array_message();
    array->add_contacts()->set_display_name("Carol");
    array->add_contacts()->set_display_name("Dave");
  });
  add("text", "disappearing", [](Message& m) {
    m.mutable_ephemeral_message()->mutable_message()->set_conversation("disappearing");
  });
  add("image", "once", [](Message& m) {
    m.mutable_view_once_message_v2()->mutable_message()->mutable_image_message()->set_caption("once");
  });
  add("poll", "Lunch?\n- pizza\n- sushi", [](Message& m) {
    auto* poll = m.mutable_poll_creation_message_v3();
    poll->set_name("Lunch?");
    poll->add_options()->set_option_name("pizza");
    poll->add_options()->set_option_name("sushi");
  });
  add("other", "<null>", [](Message& m) {
    // A field number we have never heard of (length-delimited field 9999).
    m.mutable_unknown_fields()->AddLengthDelimited(9999, "new");
  });

  for (const auto& c : cases) {
    SCOPED_TRACE(c.id + " " + c.kind);
    deliver(*alice, c.id, c.message);
    EXPECT_EQ(column("kind", c.id), c.kind);
    EXPECT_EQ(column("body", c.id), c.body);
    auto raw = query("SELECT raw FROM messages WHERE wa_id = $1", {pg_text(c.id)});
    ASSERT_EQ(raw.rows(), 1);
    EXPECT_EQ(raw.bytes(0, 0), serialized(c.message));
  }
  EXPECT_EQ(column("quoted_wa_id", "C1"), "C0");
  auto image = query("SELECT d.mimetype, d.file_length, d.width, d.height, d.direct_path, length(d.media_key) "
                     "FROM media d JOIN messages m ON m.id = d.message_id WHERE m.wa_id = 'C2'");
  ASSERT_EQ(image.rows(), 1);
  EXPECT_EQ(image.text(0, 0), "image/jpeg");
  EXPECT_EQ(image.int64(0, 1), 54321);
  EXPECT_EQ(image.int64(0, 2), 800);
  EXPECT_EQ(image.int64(0, 3), 600);
  EXPECT_EQ(image.text(0, 4), "/v/t62.7118-24/1");
  EXPECT_EQ(image.int64(0, 5), 32);
  EXPECT_EQ(count("SELECT d.duration_seconds FROM media d JOIN messages m ON m.id = d.message_id "
                  "WHERE m.wa_id = 'C3'"),
            12);
  EXPECT_EQ(column("file_name", "C6"), "contract.pdf");
  EXPECT_EQ(count("SELECT count(*) FROM media"), 7);  // image, video, audio, voice, document, sticker, view-once
}

TEST_F(MessageHandlerTest, ReactionsEditsAndRevokesActOnTheirTarget) {
  auto alice = phone("491700000001");
  deliver(*alice, "M1", text("helo"));

  Message like;
  like.mutable_reaction_message()->mutable_key()->set_id("M1");
  like.mutable_reaction_message()->mutable_key()->set_from_me(true);  // her own message, from her side
  like.mutable_reaction_message()->mutable_key()->set_remote_jid(kOurPn);
  like.mutable_reaction_message()->set_text("👍");
  deliver(*alice, "R1", like);
  EXPECT_EQ(column("kind", "R1"), "reaction");
  EXPECT_EQ(column("target_wa_id", "R1"), "M1");
  EXPECT_EQ(column("body", "R1"), "👍");
  Message unlike = like;
  unlike.mutable_reaction_message()->set_text("");
  deliver(*alice, "R2", unlike);
  EXPECT_EQ(column("body", "R2"), "");

  Message edit;
  auto* pm = edit.mutable_edited_message()->mutable_message()->mutable_protocol_message();
  pm->mutable_key()->set_id("M1");
  pm->mutable_key()->set_from_me(true);
  pm->set_type(ProtocolMessage::MESSAGE_EDIT);
  pm->mutable_edited_message()->set_conversation("hello");
  pm->set_timestamp_ms((kT0 + 60) * 1000);
  deliver(*alice, "E1", edit, {{"edit", "1"}});
  EXPECT_EQ(column("kind", "E1"), "edit");
  EXPECT_EQ(column("body", "M1"), "hello");
  EXPECT_EQ(column("crm_epoch_us(edited_at)", "M1"), std::to_string((kT0 + 60) * 1'000'000));
  EXPECT_EQ(count("SELECT count(*) FROM message_edits e JOIN messages m ON m.id = e.message_id "
                  "WHERE m.wa_id = 'M1' AND e.previous_body = 'helo'"),
            1);

  Message revoke;
  revoke.mutable_protocol_message()->mutable_key()->set_id("M1");
  revoke.mutable_protocol_message()->mutable_key()->set_from_me(true);
  revoke.mutable_protocol_message()->set_type(ProtocolMessage::REVOKE);
  deliver(*alice, "X1", revoke, {{"edit", "7"}});
  EXPECT_EQ(column("kind", "X1"), "revoke");
  EXPECT_NE(column("deleted_at", "M1"), "<null>");
  EXPECT_EQ(column("body", "M1"), "hello");  // what we had is kept
}

// ---- exactly once ----------------------------------------------------------

TEST_F(MessageHandlerTest, RedeliveryIsStoredOnceAndReceiptedAgain) {
  auto alice = phone("491700000001");
  wire::Node node = stanza("DUP1", alice->jid().to_string(), {enc(alice->encrypt(text("once")))});
  auto first = handle(node);
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].type, MessageEvent::Type::stored);

  auto second = handle(node);
  ASSERT_EQ(second.send.size(), 2u);
  EXPECT_EQ(second.send[0].tag, "receipt");
  EXPECT_EQ(attr(second.send[0], "id"), "DUP1");
  EXPECT_EQ(second.send[1].tag, "ack");
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].type, MessageEvent::Type::redelivered);
  EXPECT_EQ(second.events[0].message_id, first.events[0].message_id);
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 1);
}

TEST_F(MessageHandlerTest, FailureBeforeCommitLeavesNothingAndTheRedeliveryDecrypts) {
  auto alice = phone("491700000001");
  wire::Node node = stanza("RB1", alice->jid().to_string(), {enc(alice->encrypt(text("survives")))});

  handler_->set_before_commit([] { return Status(make_error(Errc::unavailable, "failpoint: crash before commit")); });
  daemon::PgMessageStores stores(conn_, account_);
  auto failed = handler_->handle_message(node, stores);
  ASSERT_TRUE(failed.error);
  EXPECT_THAT(failed.error->message, HasSubstr("failpoint"));
  EXPECT_TRUE(failed.send.empty());  // no receipt, no ack: the server keeps it
  EXPECT_TRUE(failed.events.empty());
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM contacts"), 0);
  EXPECT_TRUE(has_pre_key(1));  // the pkmsg's pre-key is still there
  EXPECT_EQ(count("SELECT count(*) FROM signal_sessions"), 0);

  handler_->set_before_commit(nullptr);
  auto redelivered = handle(node);
  ASSERT_EQ(redelivered.send.size(), 2u);
  EXPECT_EQ(column("body", "RB1"), "survives");
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 1);
  EXPECT_FALSE(has_pre_key(1));
  EXPECT_EQ(count("SELECT count(*) FROM signal_sessions"), 1);
  // And once more: stored once, receipted again.
  EXPECT_EQ(handle(node).events.at(0).type, MessageEvent::Type::redelivered);
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 1);
}

TEST_F(MessageHandlerTest, ABacklogIsOneTransactionAllOrNothing) {
  auto alice = phone("491700000001");
  std::vector<wire::Node> backlog;
  for (int i = 0; i < 5; ++i)
    backlog.push_back(stanza("B" + std::to_string(i), alice->jid().to_string(), {enc(alice->encrypt(text("b")))}));
  backlog.push_back(backlog[1]);                                     // a redelivery inside the backlog
  backlog.push_back(wire::Node("message", {{"id", "NOFROM"}}));      // unreadable
  daemon::PgMessageStores stores(conn_, account_);

  handler_->set_before_commit([] { return Status(make_error(Errc::unavailable, "failpoint")); });
  auto failed = handler_->handle_messages(backlog, stores);
  ASSERT_EQ(failed.size(), backlog.size());
  for (std::size_t i = 0; i + 1 < failed.size(); ++i) {
    EXPECT_TRUE(failed[i].error) << i;
    EXPECT_TRUE(failed[i].send.empty()) << i;
  }
  EXPECT_EQ(attr(failed.back().send.at(0), "error"), "487");  // refused without the database
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 0);
  EXPECT_TRUE(has_pre_key(1));

  handler_->set_before_commit(nullptr);
  auto results = handler_->handle_messages(backlog, stores);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_FALSE(results[i].error);
    EXPECT_EQ(results[i].events.at(0).type, MessageEvent::Type::stored) << i;
    EXPECT_EQ(attr(results[i].send.at(0), "id"), "B" + std::to_string(i));
  }
  EXPECT_EQ(results[5].events.at(0).type, MessageEvent::Type::redelivered);
  EXPECT_EQ(attr(results[5].send.at(0), "id"), "B1");
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 5);
  // The texts were stored together (one statement, at the end of the
  // batch); each event still names its own row, the redelivery B1's.
  for (std::size_t i = 0; i < 5; ++i)
    EXPECT_EQ(results[i].events.at(0).message_id,
              count("SELECT id FROM messages WHERE wa_id = 'B" + std::to_string(i) + "'"))
        << i;
  EXPECT_EQ(results[5].events.at(0).message_id, results[1].events.at(0).message_id);
  EXPECT_FALSE(has_pre_key(1));
}

// Current servers name a 1:1 sender by phone number and LID (sender_lid):
// the first such message records the pair one by one; once it is on record,
// the sender's further messages are stored together again.
TEST_F(MessageHandlerTest, ABacklogNamingSendersByPhoneAndLidIsStoredTogetherOnceThePairIsKnown) {
  auto alice = phone("491700000001");
  const std::vector<wire::Attr> lid = {{"sender_lid", "100000000000001@lid"}};
  std::vector<wire::Node> backlog;
  for (int i = 0; i < 6; ++i)
    backlog.push_back(
        stanza("L" + std::to_string(i), alice->jid().to_string(), {enc(alice->encrypt(text("l")))}, lid));
  daemon::PgMessageStores stores(conn_, account_);
  auto results = handler_->handle_messages(backlog, stores);
  for (std::size_t i = 0; i < backlog.size(); ++i) {
    EXPECT_FALSE(results[i].error) << i;
    EXPECT_EQ(results[i].events.at(0).type, MessageEvent::Type::stored) << i;
    EXPECT_EQ(results[i].events.at(0).message_id,
              count("SELECT id FROM messages WHERE wa_id = 'L" + std::to_string(i) + "'"))
        << i;
  }
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE jid = '491700000001@s.whatsapp.net' "
                  "AND lid = '100000000000001@lid'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM contacts"), 1);
  // crm_chat_state.version counts the statements that added to the chat:
  // the first message alone, then the other five in one.
  EXPECT_EQ(count("SELECT version FROM crm_chat_state"), 2);
}

TEST_F(MessageHandlerTest, TextThatIsNotUtf8IsStoredNotRefused) {
  auto alice = phone("491700000001");
  Message odd;
  using namespace std::string_literals;
  odd.set_conversation("zero\0byte and \xff"s);
  auto result = deliver(*alice, "ODD", odd);
  EXPECT_EQ(result.events.at(0).type, MessageEvent::Type::stored);
  EXPECT_EQ(column("body", "ODD"), "zerobyte and \xEF\xBF\xBD");
  auto raw = query("SELECT raw FROM messages WHERE wa_id = 'ODD'");
  EXPECT_EQ(raw.bytes(0, 0), serialized(odd));  // the raw bytes stay exact
}

// ---- groups ------------------------------------------------------------------

TEST_F(MessageHandlerTest, GroupMessagesFromThreeMembersWithSenderKeys) {
  std::vector<std::unique_ptr<Phone>> members;
  for (std::string user : {"491700000001", "491700000002", "491700000003"}) members.push_back(phone(user));
  int n = 0;
  for (auto& member : members) {
    // First message: the sender key in a pkmsg, then the skmsg that needs it.
    Message hello = text("hello from " + member->jid().user());
    wire::Node node = stanza("G" + std::to_string(n++), kGroup,
                             {enc(member->encrypt(member->sender_key_message(kGroup))),
                              enc(signal::MessageType::skmsg, member->group_encrypt(kGroup, hello))},
                             {{"participant", member->jid().to_string()}, {"notify", "M" + member->jid().user()}});
    auto result = handle(node);
    ASSERT_EQ(result.send.size(), 2u);
    EXPECT_EQ(attr(result.send[0], "to"), kGroup);
    EXPECT_EQ(attr(result.send[0], "participant"), member->jid().to_string());
    EXPECT_EQ(attr(result.send[1], "participant"), member->jid().to_string());
  }
  // Later messages need only the skmsg.
  handle(stanza("G3", kGroup, {enc(signal::MessageType::skmsg, members[0]->group_encrypt(kGroup, text("again")))},
                {{"participant", members[0]->jid().to_string()}}));

  auto r = query("SELECT m.wa_id, m.sender_jid, m.body, c.jid, c.is_group FROM messages m "
                 "JOIN chats c ON c.id = m.chat_id ORDER BY m.wa_id");
  ASSERT_EQ(r.rows(), 4);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.text(i, 1), members[static_cast<std::size_t>(i)]->user_jid());
    EXPECT_EQ(r.text(i, 2), "hello from " + members[static_cast<std::size_t>(i)]->jid().user());
    EXPECT_EQ(r.text(i, 3), kGroup);
    EXPECT_TRUE(r.boolean(i, 4));
  }
  EXPECT_EQ(r.text(3, 2), "again");
  EXPECT_EQ(count("SELECT count(*) FROM signal_sender_keys"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE is_group"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE NOT is_group AND push_name LIKE 'M49170000000%'"), 3);
}

TEST_F(MessageHandlerTest, MissingSenderKeyAsksForARetryWithKeysAtOnce) {
  auto alice = phone("491700000001");
  (void)alice->sender_key_message(kGroup);  // she has a key, we never got it
  auto result = handle(stanza("GX", kGroup, {enc(signal::MessageType::skmsg, alice->group_encrypt(kGroup, text("?")))},
                              {{"participant", alice->jid().to_string()}}));
  ASSERT_EQ(result.send.size(), 2u);
  EXPECT_EQ(attr(result.send[0], "type"), "retry");
  EXPECT_NE(result.send[0].child("keys"), nullptr);
  EXPECT_EQ(column("kind", "GX"), "placeholder");
  EXPECT_THAT(column("decrypt_error", "GX"), HasSubstr("no session"));
}

// ---- undecryptable -----------------------------------------------------------

TEST_F(MessageHandlerTest, CorruptedCiphertextGivesPlaceholderAndRetryThenTheResendReplacesIt) {
  auto alice = phone("491700000001");
  deliver(*alice, "OK1", text("fine"));
  answer(*alice);

  signal::Ciphertext broken = corrupted(*alice, text("second"));
  auto first = handle(stanza("BAD1", alice->jid().to_string(), {enc(broken)}));
  EXPECT_EQ(column("kind", "BAD1"), "placeholder");
  // libsignal reports a MAC that does not match as an invalid message.
  EXPECT_THAT(column("decrypt_error", "BAD1"), HasSubstr("invalid message"));
  EXPECT_EQ(column("decrypt_retries", "BAD1"), "1");
  ASSERT_EQ(first.send.size(), 2u);
  const wire::Node& retry = first.send[0];
  EXPECT_EQ(retry.tag, "receipt");
  EXPECT_EQ(attr(retry, "type"), "retry");
  EXPECT_EQ(attr(retry, "id"), "BAD1");
  EXPECT_EQ(attr(retry, "to"), alice->jid().to_string());
  ASSERT_NE(retry.child("retry"), nullptr);
  EXPECT_EQ(attr(*retry.child("retry"), "count"), "1");
  EXPECT_EQ(attr(*retry.child("retry"), "id"), "BAD1");
  EXPECT_EQ(attr(*retry.child("retry"), "t"), std::to_string(kT0));
  EXPECT_EQ(attr(*retry.child("retry"), "v"), "1");
  ASSERT_NE(retry.child("registration"), nullptr);
  EXPECT_EQ(*retry.child("registration")->bytes(), big_endian(identity_.registration_id, 4));
  EXPECT_EQ(retry.child("keys"), nullptr);  // not on the first try
  EXPECT_EQ(first.send[1].tag, "ack");
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].type, MessageEvent::Type::placeholder);

  // The sender's copy is broken again: count 2, now with our keys.
  signal::Ciphertext broken_again = corrupted(*alice, text("second"));
  auto second = handle(stanza("BAD1", alice->jid().to_string(), {enc(broken_again, {{"count", "1"}})}));
  ASSERT_EQ(second.send.size(), 2u);
  const wire::Node* keys = second.send[0].child("keys");
  EXPECT_EQ(attr(*second.send[0].child("retry"), "count"), "2");
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(*keys->child("type")->bytes(), Bytes{0x05});
  EXPECT_EQ(*keys->child("identity")->bytes(), identity_.identity_public);
  ASSERT_NE(keys->child("key"), nullptr);
  EXPECT_EQ(*keys->child("key")->child("id")->bytes(), big_endian(21, 3));  // the next free pre-key id
  EXPECT_EQ(keys->child("key")->child("value")->bytes()->size(), 32u);
  EXPECT_EQ(*keys->child("skey")->child("id")->bytes(), big_endian(identity_.signed_pre_key_id, 3));
  EXPECT_EQ(*keys->child("skey")->child("signature")->bytes(), identity_.signed_pre_key_signature);
  EXPECT_EQ(*keys->child("device-identity")->bytes(), (Bytes{0x0a, 0x03, 1, 2, 3}));
  // That pre-key is ours now, never to be uploaded; the next id moved on.
  EXPECT_EQ(count("SELECT count(*) FROM signal_prekeys WHERE key_id = 21 AND uploaded"), 1);
  EXPECT_EQ(count("SELECT next_prekey_id FROM device_credentials"), 22);
  EXPECT_EQ(column("decrypt_retries", "BAD1"), "2");
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 2);

  // The re-sent copy decrypts and takes the placeholder's place.
  const std::string placeholder_id = column("id", "BAD1");
  auto resent = handle(stanza("BAD1", alice->jid().to_string(), {enc(alice->encrypt(text("second")), {{"count", "2"}})}));
  ASSERT_EQ(resent.send.size(), 2u);
  EXPECT_EQ(attr(resent.send[0], "type"), "inactive");
  EXPECT_EQ(resent.events.at(0).type, MessageEvent::Type::stored);
  EXPECT_EQ(column("id", "BAD1"), placeholder_id);
  EXPECT_EQ(column("kind", "BAD1"), "text");
  EXPECT_EQ(column("body", "BAD1"), "second");
  EXPECT_EQ(column("decrypt_error", "BAD1"), "<null>");
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 2);
}

TEST_F(MessageHandlerTest, RetryReceiptsStopAtTheLimitAndThePlaceholderStays) {
  auto alice = phone("491700000001");
  deliver(*alice, "OK1", text("fine"));
  answer(*alice);
  signal::Ciphertext broken = corrupted(*alice, text("lost"));
  auto result = handle(stanza("LOST", alice->jid().to_string(), {enc(broken, {{"count", "4"}})}));
  ASSERT_EQ(result.send.size(), 1u);
  EXPECT_EQ(result.send[0].tag, "ack");
  EXPECT_EQ(column("kind", "LOST"), "placeholder");
  EXPECT_THAT(column("decrypt_error", "LOST"), HasSubstr("gave up after 4 retry receipts"));
}

TEST_F(MessageHandlerTest, MessageWithoutSessionAsksForARetry) {
  Phone stranger(context_, "491700000077");  // never built a session with us
  Phone helper(context_, "491700000078");
  helper.connect(identity_, pre_keys_.at(0));
  // A msg-type ciphertext on a session we do not have.
  signal::Ciphertext c = helper.encrypt(text("x"));
  c.type = signal::MessageType::msg;
  auto result = handle(stanza("NS1", stranger.jid().to_string(), {enc(c)}));
  ASSERT_EQ(result.send.size(), 2u);
  EXPECT_EQ(attr(result.send[0], "type"), "retry");
  EXPECT_EQ(column("kind", "NS1"), "placeholder");
}

TEST_F(MessageHandlerTest, UnavailableMessageIsAPlaceholderAndAcked) {
  wire::Node node("message", {{"from", "491700000001@s.whatsapp.net"}, {"id", "UN1"}, {"t", std::to_string(kT0)}},
                  wire::Node::Children{wire::Node("unavailable", {{"type", "view_once"}})});
  auto result = handle(node);
  ASSERT_EQ(result.send.size(), 1u);
  EXPECT_EQ(result.send[0].tag, "ack");
  EXPECT_EQ(attr(result.send[0], "from"), kOurUser + ":3@s.whatsapp.net");
  EXPECT_EQ(column("kind", "UN1"), "placeholder");
  EXPECT_EQ(column("decrypt_error", "UN1"), "unavailable: view_once");
}

TEST_F(MessageHandlerTest, UnreadableStanzaIsRefusedWithoutTouchingTheStore) {
  wire::Node node("message", {{"id", "NOFROM"}, {"t", std::to_string(kT0)}});
  auto result = handle(node);
  ASSERT_EQ(result.send.size(), 1u);
  EXPECT_EQ(attr(result.send[0], "error"), "487");
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 0);
}

// ---- who is who ------------------------------------------------------------

TEST_F(MessageHandlerTest, LidSenderWithItsPhoneNumberIsOnePerson) {
  auto alice = phone("100000000000001", "lid");
  const std::string alice_pn = "491700000001@s.whatsapp.net";
  deliver(*alice, "L1", text("via lid"), {{"sender_pn", alice_pn}, {"notify", "Alice"}});
  auto r = query("SELECT jid, lid, phone, push_name FROM contacts");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), alice_pn);
  EXPECT_EQ(r.text(0, 1), "100000000000001@lid");
  EXPECT_EQ(r.text(0, 2), "491700000001");
  EXPECT_EQ(r.text(0, 3), "Alice");
  EXPECT_EQ(column("sender_jid", "L1"), alice_pn);
  EXPECT_EQ(count("SELECT count(*) FROM chats WHERE jid = $1", {pg_text(alice_pn)}), 1);
  // The session is keyed by her LID address.
  EXPECT_EQ(count("SELECT count(*) FROM signal_sessions WHERE name = '100000000000001_1'"), 1);

  // Without the attribute, the map knows her.
  deliver(*alice, "L2", text("lid again"));
  EXPECT_EQ(column("sender_jid", "L2"), alice_pn);
  EXPECT_EQ(count("SELECT count(*) FROM contacts"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM chats"), 1);
}

TEST_F(MessageHandlerTest, OurOwnMessageFromThePhoneIsStoredInTheRecipientsChat) {
  auto our_phone = phone(kOurUser);  // device 0: the primary phone
  const std::string alice = "491700000001@s.whatsapp.net";
  Message copy;
  copy.mutable_device_sent_message()->set_destination_jid(alice);
  copy.mutable_device_sent_message()->mutable_message()->set_conversation("sent from my phone");
  auto result = deliver(*our_phone, "OWN1", copy, {{"recipient", alice}});
  ASSERT_EQ(result.send.size(), 2u);
  EXPECT_EQ(attr(result.send[0], "type"), "sender");
  EXPECT_EQ(attr(result.send[0], "recipient"), alice);
  auto r = query("SELECT m.from_me, m.sender_jid, m.status, m.body, c.jid FROM messages m JOIN chats c "
                 "ON c.id = m.chat_id");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_TRUE(r.boolean(0, 0));
  EXPECT_EQ(r.text(0, 1), kOurPn);
  EXPECT_EQ(r.text(0, 2), "server_ack");
  EXPECT_EQ(r.text(0, 3), "sent from my phone");
  EXPECT_EQ(r.text(0, 4), alice);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE jid = $1 AND last_outbound_at IS NOT NULL", {pg_text(alice)}),
            1);
}

TEST_F(MessageHandlerTest, PeerMessageGetsAPeerReceiptAndIsKeptAsSystem) {
  auto our_phone = phone(kOurUser);
  Message notice;
  notice.mutable_protocol_message()->set_type(ProtocolMessage::HISTORY_SYNC_NOTIFICATION);
  auto result = deliver(*our_phone, "PEER1", notice, {{"category", "peer"}});
  EXPECT_EQ(attr(result.send[0], "type"), "peer_msg");
  EXPECT_EQ(column("kind", "PEER1"), "system");
  EXPECT_EQ(column("body", "PEER1"), "history_sync_notification");
  EXPECT_EQ(result.events.at(0).system, SystemKind::history_sync_notification);
}

// ---- receipts and notifications --------------------------------------------

TEST_F(MessageHandlerTest, ReceiptsForOurMessagesRaiseTheirStatusAndAreAcked) {
  auto our_phone = phone(kOurUser);
  const std::string alice = "491700000001@s.whatsapp.net";
  for (std::string id : {"OUT1", "OUT2"}) {
    Message copy;
    copy.mutable_device_sent_message()->mutable_message()->set_conversation(id);
    deliver(*our_phone, id, copy, {{"recipient", alice}});
  }
  wire::Node receipt("receipt", {{"from", "491700000001:2@s.whatsapp.net"}, {"id", "OUT1"}, {"type", "read"},
                                 {"t", std::to_string(kT0 + 5)}},
                     wire::Node::Children{wire::Node("list", {}, wire::Node::Children{wire::Node("item", {{"id", "OUT2"}})})});
  daemon::PgMessageStores stores(conn_, account_);
  auto result = handle_receipt(receipt, handler_->config(), stores);
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.send.size(), 1u);
  EXPECT_EQ(result.send[0].tag, "ack");
  EXPECT_EQ(attr(result.send[0], "class"), "receipt");
  EXPECT_EQ(attr(result.send[0], "type"), "read");
  EXPECT_EQ(attr(result.send[0], "to"), "491700000001:2@s.whatsapp.net");
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events[0].type, MessageEvent::Type::status_changed);
  EXPECT_EQ(result.events[0].changed, 2);
  EXPECT_EQ(column("status", "OUT1"), "read");
  EXPECT_EQ(column("status", "OUT2"), "read");

  // A late delivery receipt does not take "read" back; it is still acked.
  wire::Node late("receipt", {{"from", "491700000001:2@s.whatsapp.net"}, {"id", "OUT1"}});
  auto again = handle_receipt(late, handler_->config(), stores);
  EXPECT_EQ(again.send.size(), 1u);
  EXPECT_EQ(again.events.at(0).changed, 0);
  EXPECT_EQ(column("status", "OUT1"), "read");
}

TEST_F(MessageHandlerTest, NotificationsAreAppliedThenAcked) {
  daemon::PgMessageStores stores(conn_, account_);
  wire::Node subject("notification", {{"from", kGroup}, {"id", "N1"}, {"type", "w:gp2"}, {"participant", kOurPn}},
                     wire::Node::Children{wire::Node("subject", {{"subject", "Climbing"}})});
  auto result = handle_notification(subject, handler_->config(), stores);
  ASSERT_EQ(result.send.size(), 1u);
  EXPECT_EQ(attr(result.send[0], "class"), "notification");
  EXPECT_EQ(attr(result.send[0], "type"), "w:gp2");
  EXPECT_EQ(count("SELECT count(*) FROM chats WHERE jid = $1 AND subject = 'Climbing'", {pg_text(kGroup)}), 1);

  wire::Node added("notification", {{"from", kGroup}, {"id", "N2"}, {"type", "w:gp2"}},
                   wire::Node::Children{wire::Node(
                       "add", {}, wire::Node::Children{wire::Node("participant", {{"jid", "100000000000001@lid"},
                                                                                  {"phone_number",
                                                                                   "491700000001@s.whatsapp.net"}})})});
  handle_notification(added, handler_->config(), stores);
  EXPECT_EQ(count("SELECT count(*) FROM lid_mappings WHERE lid = '100000000000001@lid'"), 1);

  // Put in a new group: its subject and the pairs of its participants come inside <create><group>.
  const std::string made = "120363000000000077@g.us";
  wire::Node create("notification", {{"from", made}, {"id", "N5"}, {"type", "w:gp2"}, {"participant", kOurPn}},
                    wire::Node::Children{wire::Node(
                        "create", {{"reason", "create"}, {"type", "new"}},
                        wire::Node::Children{wire::Node(
                            "group", {{"id", "120363000000000077"}, {"subject", "Book club"}, {"creator", kOurPn}},
                            wire::Node::Children{wire::Node("participant", {{"jid", "100000000000002@lid"},
                                                                            {"phone_number",
                                                                             "491700000002@s.whatsapp.net"}})})})});
  EXPECT_EQ(handle_notification(create, handler_->config(), stores).send.size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM chats WHERE jid = $1 AND is_group AND subject = 'Book club'", {pg_text(made)}),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM lid_mappings WHERE lid = '100000000000002@lid'"), 1);

  // Identity change: her sessions go, so her next pkmsg starts afresh.
  auto alice = phone("491700000001");
  deliver(*alice, "I1", text("before"));
  EXPECT_EQ(count("SELECT count(*) FROM signal_sessions WHERE name = '491700000001'"), 1);
  wire::Node identity("notification", {{"from", "491700000001@s.whatsapp.net"}, {"id", "N3"}, {"type", "encrypt"}},
                      wire::Node::Children{wire::Node("identity")});
  EXPECT_EQ(handle_notification(identity, handler_->config(), stores).send.size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM signal_sessions WHERE name = '491700000001'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM signal_identities WHERE name = '491700000001'"), 0);

  wire::Node other("notification", {{"from", "s.whatsapp.net"}, {"id", "N4"}, {"type", "server_sync"}});
  EXPECT_EQ(handle_notification(other, handler_->config(), stores).send.size(), 1u);
}

// The answer to the participating-groups query sent after login: subjects
// and pairs as from w:gp2, nothing sent; ids that are no group are skipped.
TEST_F(MessageHandlerTest, GroupAnswersStoreSubjectsAndPairs) {
  daemon::PgMessageStores stores(conn_, account_);
  auto group = [](std::string id, std::string subject, wire::Node::Children participants) {
    return wire::Node("group", {{"id", std::move(id)}, {"subject", std::move(subject)}, {"addressing_mode", "lid"}},
                      std::move(participants));
  };
  wire::Node answer(
      "iq", {{"from", "g.us"}, {"type", "result"}, {"id", "Q1"}},
      wire::Node::Children{wire::Node(
          "groups", {},
          wire::Node::Children{
              group("120363000000000081", "Family",
                    {wire::Node("participant", {{"jid", "100000000000003@lid"},
                                                {"phone_number", "491700000003@s.whatsapp.net"}})}),
              group("120363000000000082@g.us", "Neighbours", {}),
              group("491700000004@s.whatsapp.net", "not a group", {}), group("", "no id", {})})});
  auto result = handle_group_answer(answer, handler_->config(), stores);
  EXPECT_FALSE(result.error);
  EXPECT_TRUE(result.send.empty());
  EXPECT_EQ(count("SELECT count(*) FROM chats WHERE jid = '120363000000000081@g.us' AND is_group AND subject = 'Family'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM chats WHERE jid = '120363000000000082@g.us' AND subject = 'Neighbours'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM chats"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM lid_mappings WHERE lid = '100000000000003@lid' "
                  "AND pn = '491700000003@s.whatsapp.net'"),
            1);

  // One group's answer (<iq><group/></iq>) renames it.
  wire::Node one("iq", {{"from", "120363000000000081@g.us"}, {"type", "result"}, {"id", "Q2"}},
                 wire::Node::Children{group("120363000000000081", "Family (new)", {})});
  EXPECT_FALSE(handle_group_answer(one, handler_->config(), stores).error);
  EXPECT_EQ(count("SELECT count(*) FROM chats WHERE subject = 'Family (new)'"), 1);
}

}  // namespace
}  // namespace wacrm::wa
