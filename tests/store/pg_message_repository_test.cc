// PgMessageRepository on the test PostgreSQL with the real schema: stored
// once, placeholders replaced in place, media, edits (with history, also
// before their target), revokes, reactions, receipts, LID/phone people, and
// the read API's lists.
#include "store/pg/pg_message_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_database.h"

namespace wacrm::store {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;

const std::string kAlice = "491700000001@s.whatsapp.net";
const std::string kAliceLid = "100000000000001@lid";
const std::string kMe = "491700000009@s.whatsapp.net";
const std::string kGroup = "120363000000000001@g.us";

MessageTime at(int s) { return MessageTime(seconds(1'700'000'000 + s)); }

class PgMessageRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.apply_schema();
    account_ = conn_.exec("INSERT INTO accounts (name) VALUES ('bob') RETURNING id").value().int64(0, 0);
  }

  // A text from Alice in her 1:1 chat.
  NewMessage text_from(const std::string& sender, const std::string& id, const std::string& body, int t) {
    NewMessage m;
    m.account_id = account_;
    m.chat_jid = sender;
    m.chat_person = PersonSighting{sender};
    m.sender = PersonSighting{sender, std::nullopt, std::nullopt, "Alice"};
    m.sender_jid = sender;
    m.wa_id = id;
    m.sent_at = at(t);
    m.kind = "text";
    m.body = body;
    m.raw = Bytes{0x0a, 0x01, 'x'};
    return m;
  }

  NewMessage mine_to(const std::string& chat, const std::string& id, const std::string& body, int t) {
    NewMessage m;
    m.account_id = account_;
    m.chat_jid = chat;
    m.chat_person = PersonSighting{chat};
    m.sender_jid = kMe;
    m.from_me = true;
    m.wa_id = id;
    m.sent_at = at(t);
    m.kind = "text";
    m.body = body;
    m.status = MessageStatus::server_ack;
    return m;
  }

  StoreResult stored(const NewMessage& m) {
    auto r = repo_.store(m);
    EXPECT_TRUE(r) << r.error().to_string();
    return r.value_or(StoreResult{});
  }

  PgResult query(std::string_view sql, const std::vector<PgParam>& params = {}) {
    auto r = conn_.exec(sql, params);
    EXPECT_TRUE(r) << r.error().to_string();
    return std::move(r).value_or(PgResult{});
  }
  std::int64_t count(std::string_view sql) { return query(sql).int64(0, 0); }
  std::string text(std::string_view sql, const std::vector<PgParam>& params = {}) {
    auto r = query(sql, params);
    return r.rows() ? std::string(r.text(0, 0)) : std::string("<no row>");
  }

  testing::TestDatabase db_;
  PgConnection conn_ = db_.connect();
  PgMessageRepository repo_{conn_};
  std::int64_t account_ = 0;
};

TEST_F(PgMessageRepositoryTest, StoresAMessageOnceWithChatAndContact) {
  auto first = stored(text_from(kAlice, "M1", "hello", 10));
  EXPECT_EQ(first.outcome, StoreOutcome::inserted);
  EXPECT_GT(first.message_id, 0);
  auto again = stored(text_from(kAlice, "M1", "hello", 10));
  EXPECT_EQ(again.outcome, StoreOutcome::already_stored);
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 1);

  auto r = query("SELECT c.push_name, c.phone, crm_epoch_us(c.last_inbound_at), ch.is_group, ch.contact_id = c.id, "
                 "m.sender_contact_id = c.id, m.raw FROM contacts c, chats ch, messages m");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), "Alice");
  EXPECT_EQ(r.text(0, 1), "491700000001");
  EXPECT_EQ(r.int64(0, 2), 1'700'000'010'000'000);
  EXPECT_FALSE(r.boolean(0, 3));
  EXPECT_TRUE(r.boolean(0, 4));
  EXPECT_TRUE(r.boolean(0, 5));
  EXPECT_EQ(r.bytes(0, 6), (Bytes{0x0a, 0x01, 'x'}));

  auto found = repo_.find(account_, kAlice, "M1", kAlice);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, first.message_id);
  EXPECT_FALSE((*found)->placeholder);
  EXPECT_FALSE(repo_.find(account_, kAlice, "M2", kAlice).value());

  // Our own message to her: outbound time on her row, no sender contact.
  stored(mine_to(kAlice, "M2", "hi back", 20));
  EXPECT_EQ(count("SELECT crm_epoch_us(last_outbound_at) FROM contacts"), 1'700'000'020'000'000);
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE from_me AND sender_contact_id IS NULL AND status = "
                  "'server_ack'"),
            1);
}

TEST_F(PgMessageRepositoryTest, FindManyAnswersLikeFindKeyByKeyInOneLookUp) {
  auto first = stored(text_from(kAlice, "M1", "hello", 10));
  NewMessage placeholder = text_from(kAlice, "P1", "", 11);
  placeholder.kind = "placeholder";
  placeholder.body.reset();
  placeholder.decrypt_error = "no session";
  placeholder.decrypt_retries = 2;
  auto second = stored(placeholder);
  const std::vector<MessageKey> keys{{kAlice, "P1", kAlice},  {kAlice, "M9", kAlice},  {kAlice, "M1", kAlice},
                                     {kAlice, "M1", "x@s.whatsapp.net"}, {"other@s.whatsapp.net", "M1", kAlice}};
  auto found = repo_.find_many(account_, keys);
  ASSERT_TRUE(found) << found.error().to_string();
  ASSERT_EQ(found->size(), keys.size());
  ASSERT_TRUE((*found)[0]);
  EXPECT_EQ((*found)[0]->id, second.message_id);
  EXPECT_TRUE((*found)[0]->placeholder);
  EXPECT_EQ((*found)[0]->decrypt_retries, 2);
  EXPECT_FALSE((*found)[1]);
  ASSERT_TRUE((*found)[2]);
  EXPECT_EQ((*found)[2]->id, first.message_id);
  EXPECT_FALSE((*found)[2]->placeholder);
  EXPECT_FALSE((*found)[3]);  // another sender
  EXPECT_FALSE((*found)[4]);  // another chat
  EXPECT_TRUE(repo_.find_many(account_, {}).value().empty());

  // Keys travel as text[] (wacrm_find_messages): quotes, backslashes, commas
  // and braces in an id are the id, not array syntax.
  const std::string odd_id = R"(a"b\c,{d} e)";
  auto odd = stored(text_from(kAlice, odd_id, "odd", 12));
  const std::vector<MessageKey> odd_keys{{kAlice, "a", kAlice}, {kAlice, odd_id, kAlice}};
  auto odd_found = repo_.find_many(account_, odd_keys);
  ASSERT_TRUE(odd_found) << odd_found.error().to_string();
  EXPECT_FALSE((*odd_found)[0]);
  ASSERT_TRUE((*odd_found)[1]);
  EXPECT_EQ((*odd_found)[1]->id, odd.message_id);
  EXPECT_EQ(repo_.find(account_, kAlice, odd_id, kAlice).value()->id, odd.message_id);
}

// Migration 006: a message that moves nothing leaves its contact and chat rows
// as they were (no new row version); one that moves a value still writes it.
TEST_F(PgMessageRepositoryTest, ContactAndChatRowsAreRewrittenOnlyWhenAValueMoves) {
  auto versions = [&] {
    return text("SELECT c.ctid::text || ch.ctid::text FROM contacts c JOIN chats ch ON ch.contact_id = c.id");
  };
  stored(text_from(kAlice, "M1", "hello", 10));
  const std::string first = versions();
  stored(text_from(kAlice, "M2", "same second", 10));
  stored(text_from(kAlice, "M3", "older", 5));
  EXPECT_EQ(versions(), first);
  EXPECT_EQ(count("SELECT crm_epoch_us(last_inbound_at) FROM contacts"), 1'700'000'010'000'000);
  EXPECT_EQ(count("SELECT crm_epoch_us(last_message_at) FROM chats"), 1'700'000'010'000'000);

  NewMessage renamed = text_from(kAlice, "M4", "new name", 10);
  renamed.sender->push_name = "Alice B.";
  stored(renamed);
  EXPECT_NE(versions(), first);
  EXPECT_EQ(text("SELECT push_name FROM contacts"), "Alice B.");

  const std::string named = versions();
  stored(text_from(kAlice, "M5", "later", 11));
  EXPECT_NE(versions(), named);
  EXPECT_EQ(count("SELECT crm_epoch_us(last_inbound_at) FROM contacts"), 1'700'000'011'000'000);
  EXPECT_EQ(count("SELECT crm_epoch_us(last_message_at) FROM chats"), 1'700'000'011'000'000);
  EXPECT_EQ(count("SELECT count(*) FROM messages"), 5);

  // A chat made without its person (a group subject first) gets the group's contact later.
  ASSERT_TRUE(repo_.set_group_subject(account_, kGroup, "Team"));
  NewMessage in_group = text_from(kAlice, "G1", "hi all", 10);
  in_group.chat_jid = kGroup;
  in_group.chat_is_group = true;
  in_group.chat_person.reset();
  stored(in_group);
  EXPECT_EQ(count("SELECT count(*) FROM chats ch JOIN contacts c ON c.id = ch.contact_id WHERE ch.jid = '" + kGroup +
                  "' AND c.jid = ch.jid AND c.is_group AND ch.subject = 'Team'"),
            1);
}

TEST_F(PgMessageRepositoryTest, PlaceholderIsUpdatedThenReplacedInPlace) {
  NewMessage hole = text_from(kAlice, "M1", "", 10);
  hole.kind = "placeholder";
  hole.body.reset();
  hole.raw.reset();
  hole.decrypt_error = "invalid MAC";
  hole.decrypt_retries = 1;
  auto first = stored(hole);
  EXPECT_EQ(first.outcome, StoreOutcome::inserted);
  auto existing = repo_.find(account_, kAlice, "M1", kAlice).value();
  ASSERT_TRUE(existing);
  EXPECT_TRUE(existing->placeholder);
  EXPECT_EQ(existing->decrypt_retries, 1);
  // No interaction yet: placeholders are not counted.
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE last_inbound_at IS NOT NULL"), 0);

  hole.decrypt_retries = 2;
  hole.decrypt_error = "no session";
  auto second = stored(hole);
  EXPECT_EQ(second.outcome, StoreOutcome::placeholder_updated);
  EXPECT_EQ(second.message_id, first.message_id);

  auto real = stored(text_from(kAlice, "M1", "finally", 10));
  EXPECT_EQ(real.outcome, StoreOutcome::replaced_placeholder);
  EXPECT_EQ(real.message_id, first.message_id);
  auto r = query("SELECT kind, body, decrypt_error IS NULL, decrypt_retries, raw IS NOT NULL FROM messages");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), "text");
  EXPECT_EQ(r.text(0, 1), "finally");
  EXPECT_TRUE(r.boolean(0, 2));
  EXPECT_EQ(r.int64(0, 3), 2);  // how many retries it took stays
  EXPECT_TRUE(r.boolean(0, 4));

  // A late copy of the undecryptable original does not undo it.
  EXPECT_EQ(stored(hole).outcome, StoreOutcome::already_stored);
  EXPECT_EQ(text("SELECT kind FROM messages"), "text");
}

TEST_F(PgMessageRepositoryTest, BytesTheTextTypeRefusesAreReplacedNotRefused) {
  using namespace std::string_literals;
  const std::string bad_id = "ID\0\xff"s;
  NewMessage m = text_from(kAlice, bad_id, "nul\0 and \xc3\x28 and ok \xc3\xa9"s, 10);
  m.sender->push_name = "\xff" "Alice";
  EXPECT_EQ(stored(m).outcome, StoreOutcome::inserted);
  EXPECT_EQ(text("SELECT body FROM messages"), "nul and \xEF\xBF\xBD( and ok \xc3\xa9");
  EXPECT_EQ(text("SELECT wa_id FROM messages"), "ID\xEF\xBF\xBD");
  EXPECT_EQ(text("SELECT push_name FROM contacts"), "\xEF\xBF\xBD" "Alice");
  // The same bytes find it again, and a redelivery is recognized.
  EXPECT_TRUE(repo_.find(account_, kAlice, bad_id, kAlice).value());
  EXPECT_EQ(stored(m).outcome, StoreOutcome::already_stored);
  EXPECT_EQ(storable_text("plain \xe2\x82\xac"), "plain \xe2\x82\xac");
  EXPECT_EQ(storable_text("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(storable_text("\xf0\x9f\x91"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
}

TEST_F(PgMessageRepositoryTest, MediaMetadataRow) {
  NewMessage m = text_from(kAlice, "IMG", "a caption", 10);
  m.kind = "image";
  m.media = MediaRecord{"image/jpeg", 12345, Bytes(32, 1), Bytes(32, 2), Bytes(32, 3), "/v/t62/x", "https://mmg/x",
                        640, 480, std::nullopt};
  stored(m);
  auto r = query("SELECT mimetype, file_length, width, height, direct_path, media_key, duration_seconds IS NULL "
                 "FROM media");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), "image/jpeg");
  EXPECT_EQ(r.int64(0, 1), 12345);
  EXPECT_EQ(r.int64(0, 2), 640);
  EXPECT_EQ(r.int64(0, 3), 480);
  EXPECT_EQ(r.text(0, 4), "/v/t62/x");
  EXPECT_EQ(r.bytes(0, 5), Bytes(32, 3));
  EXPECT_TRUE(r.boolean(0, 6));
}

NewMessage edit_of(NewMessage base, const std::string& id, const std::string& target, const std::string& body, int t) {
  base.wa_id = id;
  base.kind = "edit";
  base.body = body;
  base.edited_body = body;
  base.sent_at = at(t);
  base.edited_at = at(t);
  base.target = TargetRef{target, base.from_me, base.from_me ? std::nullopt : std::optional(base.sender_jid)};
  return base;
}

TEST_F(PgMessageRepositoryTest, EditsKeepHistoryAndApplyOnlyForward) {
  auto original = stored(text_from(kAlice, "M1", "helo", 10));
  auto e1 = stored(edit_of(text_from(kAlice, "", "", 0), "E1", "M1", "hello", 20));
  EXPECT_TRUE(e1.target_applied);
  auto e3 = stored(edit_of(text_from(kAlice, "", "", 0), "E3", "M1", "hello!!", 40));
  EXPECT_TRUE(e3.target_applied);
  // An edit older than the applied one arrives late: kept as a row, not applied.
  auto e2 = stored(edit_of(text_from(kAlice, "", "", 0), "E2", "M1", "hello!", 30));
  EXPECT_FALSE(e2.target_applied);

  EXPECT_EQ(text("SELECT body FROM messages WHERE id = $1", {pg_int(original.message_id)}), "hello!!");
  EXPECT_EQ(count("SELECT crm_epoch_us(edited_at) FROM messages WHERE wa_id = 'M1'"), 1'700'000'040'000'000);
  auto history = query("SELECT previous_body FROM message_edits ORDER BY edited_at");
  ASSERT_EQ(history.rows(), 2);
  EXPECT_EQ(history.text(0, 0), "helo");
  EXPECT_EQ(history.text(1, 0), "hello");
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE kind = 'edit'"), 3);

  // Someone else cannot edit Alice's message.
  NewMessage forged = edit_of(text_from("491700000002@s.whatsapp.net", "", "", 0), "E4", "M1", "pwned", 50);
  forged.chat_jid = kAlice;
  EXPECT_FALSE(stored(forged).target_applied);
  EXPECT_EQ(text("SELECT body FROM messages WHERE wa_id = 'M1'"), "hello!!");
}

TEST_F(PgMessageRepositoryTest, EditsAndRevokesBeforeTheirTargetApplyWhenItArrives) {
  stored(edit_of(text_from(kAlice, "", "", 0), "E1", "M1", "second", 20));
  stored(edit_of(text_from(kAlice, "", "", 0), "E2", "M1", "third", 30));
  NewMessage revoke = text_from(kAlice, "R1", "", 40);
  revoke.kind = "revoke";
  revoke.body.reset();
  revoke.target = TargetRef{"M2", false, kAlice};
  EXPECT_FALSE(stored(revoke).target_applied);

  stored(text_from(kAlice, "M1", "first", 10));
  stored(text_from(kAlice, "M2", "regret", 15));
  EXPECT_EQ(text("SELECT body FROM messages WHERE wa_id = 'M1'"), "third");
  auto history = query("SELECT previous_body FROM message_edits ORDER BY edited_at");
  ASSERT_EQ(history.rows(), 2);
  EXPECT_EQ(history.text(0, 0), "first");
  EXPECT_EQ(history.text(1, 0), "second");
  auto r = query("SELECT body, crm_epoch_us(deleted_at) FROM messages WHERE wa_id = 'M2'");
  EXPECT_EQ(r.text(0, 0), "regret");  // kept
  EXPECT_EQ(r.int64(0, 1), 1'700'000'040'000'000);
}

TEST_F(PgMessageRepositoryTest, RevokeMarksTheTargetAndKeepsItsBody) {
  stored(mine_to(kAlice, "M1", "oops", 10));
  NewMessage revoke = mine_to(kAlice, "R1", "", 20);
  revoke.kind = "revoke";
  revoke.body.reset();
  revoke.target = TargetRef{"M1", true, std::nullopt};
  EXPECT_TRUE(stored(revoke).target_applied);
  auto r = query("SELECT body, deleted_at IS NOT NULL FROM messages WHERE wa_id = 'M1'");
  EXPECT_EQ(r.text(0, 0), "oops");
  EXPECT_TRUE(r.boolean(0, 1));
}

TEST_F(PgMessageRepositoryTest, ReactionsAreRowsAttachedToTheirTarget) {
  stored(mine_to(kAlice, "M1", "news", 10));
  NewMessage like = text_from(kAlice, "X1", "👍", 20);
  like.kind = "reaction";
  like.target = TargetRef{"M1", true, std::nullopt};
  stored(like);
  NewMessage unlike = like;
  unlike.wa_id = "X2";
  unlike.body = "";
  unlike.sent_at = at(30);
  stored(unlike);
  auto r = query("SELECT body FROM messages WHERE kind = 'reaction' AND target_wa_id = 'M1' ORDER BY sent_at");
  ASSERT_EQ(r.rows(), 2);
  EXPECT_EQ(r.text(0, 0), "👍");
  EXPECT_EQ(r.text(1, 0), "");
  // Reactions are not interactions.
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE last_inbound_at IS NOT NULL"), 0);
}

TEST_F(PgMessageRepositoryTest, ReceiptsRaiseTheStatusOfOurMessagesOnly) {
  stored(mine_to(kAlice, "M1", "one", 10));
  stored(mine_to(kAlice, "M2", "two", 11));
  stored(text_from(kAlice, "M3", "theirs", 12));
  EXPECT_EQ(repo_.update_status(account_, kAlice, {"M1", "M2", "M3"}, MessageStatus::delivered).value(), 2);
  EXPECT_EQ(repo_.update_status(account_, kAlice, {"M1"}, MessageStatus::read).value(), 1);
  EXPECT_EQ(repo_.update_status(account_, kAlice, {"M1"}, MessageStatus::delivered).value(), 0);
  auto r = query("SELECT wa_id, coalesce(status, '-') FROM messages ORDER BY wa_id");
  EXPECT_EQ(r.text(0, 1), "read");
  EXPECT_EQ(r.text(1, 1), "delivered");
  EXPECT_EQ(r.text(2, 1), "-");
  // The receipt names the chat by her LID once the pair is known.
  ASSERT_TRUE(repo_.record_lid_mapping(account_, kAliceLid, kAlice));
  EXPECT_EQ(repo_.update_status(account_, kAliceLid, {"M2"}, MessageStatus::played).value(), 1);
}

TEST_F(PgMessageRepositoryTest, SightingWithBothFormsIsOneContact) {
  NewMessage m = text_from(kAliceLid, "M1", "via lid", 10);
  m.sender->pn = kAlice;
  m.chat_person->pn = kAlice;
  stored(m);
  auto r = query("SELECT jid, lid, phone FROM contacts");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), kAlice);
  EXPECT_EQ(r.text(0, 1), kAliceLid);
  EXPECT_EQ(r.text(0, 2), "491700000001");
  EXPECT_EQ(repo_.pn_for_lid(account_, kAliceLid).value(), kAlice);
  // Later sightings by either form land on the same row.
  stored(text_from(kAlice, "M2", "via pn", 20));
  stored(text_from(kAliceLid, "M3", "via lid again", 30));
  EXPECT_EQ(count("SELECT count(*) FROM contacts"), 1);
}

TEST_F(PgMessageRepositoryTest, LidRowBecomesThePersonWhenThePairArrives) {
  stored(text_from(kAliceLid, "M1", "lid only", 10));
  EXPECT_EQ(text("SELECT jid FROM contacts"), kAliceLid);
  ASSERT_TRUE(repo_.record_lid_mapping(account_, kAliceLid, kAlice));
  auto r = query("SELECT jid, lid, phone FROM contacts");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), kAlice);
  EXPECT_EQ(r.text(0, 1), kAliceLid);
  EXPECT_EQ(r.text(0, 2), "491700000001");
}

TEST_F(PgMessageRepositoryTest, TwoRowsOfOnePersonAreMergedAndListedAsOne) {
  stored(text_from(kAliceLid, "M1", "lid", 10));
  stored(text_from(kAlice, "M2", "pn", 20));
  // A third row the user had merged into the LID row moves along.
  const std::string other = "491700000003@s.whatsapp.net";
  stored(text_from(other, "M3", "other", 5));
  ASSERT_TRUE(conn_.exec("UPDATE contacts SET merged_into = (SELECT id FROM contacts WHERE jid = $1) WHERE jid = $2",
                         {pg_text(kAliceLid), pg_text(other)}));
  ASSERT_EQ(count("SELECT count(*) FROM contacts WHERE merged_into IS NULL"), 2);

  ASSERT_TRUE(repo_.record_lid_mapping(account_, kAliceLid, kAlice));
  auto roots = query("SELECT jid, lid FROM contacts WHERE merged_into IS NULL");
  ASSERT_EQ(roots.rows(), 1);
  EXPECT_EQ(roots.text(0, 0), kAlice);
  EXPECT_EQ(roots.text(0, 1), kAliceLid);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE merged_into = (SELECT id FROM contacts WHERE jid = '" +
                  kAlice + "')"),
            2);
  // Idempotent.
  ASSERT_TRUE(repo_.record_lid_mapping(account_, kAliceLid, kAlice));
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE merged_into IS NULL"), 1);

  auto people = repo_.contacts(account_).value();
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].jid, kAlice);
  EXPECT_EQ(people[0].lid, kAliceLid);
  EXPECT_EQ(people[0].name, "Alice");
  EXPECT_EQ(people[0].merged_rows, 2);
  EXPECT_EQ(people[0].last_inbound_at, at(20));
}

TEST_F(PgMessageRepositoryTest, GroupMessagesRecordTheParticipant) {
  NewMessage m;
  m.account_id = account_;
  m.chat_jid = kGroup;
  m.chat_is_group = true;
  m.sender = PersonSighting{kAlice, std::nullopt, std::nullopt, "Alice"};
  m.sender_jid = kAlice;
  m.wa_id = "G1";
  m.sent_at = at(10);
  m.kind = "text";
  m.body = "hi all";
  stored(m);
  ASSERT_TRUE(repo_.set_group_subject(account_, kGroup, "Climbing"));
  auto r = query("SELECT m.sender_jid, c.jid, ch.is_group, ch.subject FROM messages m "
                 "JOIN contacts c ON c.id = m.sender_contact_id JOIN chats ch ON ch.id = m.chat_id");
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), kAlice);
  EXPECT_EQ(r.text(0, 1), kAlice);
  EXPECT_TRUE(r.boolean(0, 2));
  EXPECT_EQ(r.text(0, 3), "Climbing");
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE is_group AND jid = '" + kGroup + "'"), 1);

  // A chat of protocol messages only (our phone's key share to ourselves) is not listed.
  NewMessage key_share = mine_to(kMe, "KS1", "", 20);
  key_share.kind = "system";
  key_share.body.reset();
  stored(key_share);
  auto chats = repo_.chats(account_).value();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].name, "Climbing");
  EXPECT_TRUE(chats[0].is_group);
  EXPECT_EQ(chats[0].messages, 1);
}

TEST_F(PgMessageRepositoryTest, MessagePagesAreTheNewestBeforeAnInstantOldestFirst) {
  for (int i = 0; i < 5; ++i) stored(text_from(kAlice, "A" + std::to_string(i), "a" + std::to_string(i), i));
  const std::string carol = "491700000003@s.whatsapp.net";
  stored(text_from(carol, "C0", "c0", 100));

  MessageQuery q{account_, {}, std::nullopt, 3};
  auto page = repo_.messages(q).value();
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].body, "a3");
  EXPECT_EQ(page[2].body, "c0");

  q.chat_ids = {repo_.chat_id(account_, kAlice).value().value()};
  q.before = at(3);
  page = repo_.messages(q).value();
  std::vector<std::string> bodies;
  for (const auto& m : page) bodies.push_back(m.body.value_or(""));
  EXPECT_THAT(bodies, ElementsAre("a0", "a1", "a2"));
  EXPECT_EQ(page[0].sender_name, "Alice");
  EXPECT_EQ(page[0].sent_at, at(0));

  // The chat is found by her LID too, once the pair is known.
  ASSERT_TRUE(repo_.record_lid_mapping(account_, kAliceLid, kAlice));
  EXPECT_EQ(repo_.chat_id(account_, kAliceLid).value(), q.chat_ids[0]);
  EXPECT_FALSE(repo_.chat_id(account_, "nobody@s.whatsapp.net").value());
}

}  // namespace
}  // namespace wacrm::store
