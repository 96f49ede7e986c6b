// PgMessageRepository::store_many on the test PostgreSQL: the same messages
// stored one by one with store() under one account and with store_many()
// under another leave the same rows -- messages, contacts, chats, media,
// edit history, the CRM's per-chat state -- and the same outcomes, for a mix
// that runs go through (plain texts, groups, our own messages, media, bad
// bytes, NULLs) and that breaks runs (placeholders and their replacement,
// edits and revokes, a key twice, a person named by phone and LID). Also:
// a run is one statement (the triggers on messages ran once), and
// can_store_together() says which messages may join one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/pg/pg_array.h"
#include "store/pg/pg_message_repository.h"
#include "support/test_database.h"

namespace wacrm::store {
namespace {

using namespace std::string_literals;
using std::chrono::seconds;

const std::string kAlice = "491700000001@s.whatsapp.net";
const std::string kBob = "491700000002@s.whatsapp.net";
const std::string kCarol = "491700000003@s.whatsapp.net";
const std::string kCarolLid = "100000000000003@lid";
const std::string kMe = "491700000009@s.whatsapp.net";
const std::string kGroup = "120363000000000001@g.us";

MessageTime at(int s) { return MessageTime(seconds(1'700'000'000 + s)); }

NewMessage text_from(const std::string& sender, const std::string& id, std::optional<std::string> body, int t) {
  NewMessage m;
  m.chat_jid = sender;
  m.chat_person = PersonSighting{sender};
  m.sender = PersonSighting{sender, std::nullopt, std::nullopt, "Name of " + sender.substr(0, 12)};
  m.sender_jid = sender;
  m.wa_id = id;
  m.sent_at = at(t);
  m.kind = "text";
  m.body = std::move(body);
  m.raw = Bytes{0x0a, static_cast<std::uint8_t>(t), 0x00, 0xff};
  return m;
}

NewMessage in_group(const std::string& sender, const std::string& id, const std::string& body, int t) {
  NewMessage m = text_from(sender, id, body, t);
  m.chat_jid = kGroup;
  m.chat_is_group = true;
  m.chat_person.reset();
  return m;
}

NewMessage mine_to(const std::string& chat, const std::string& id, const std::string& body, int t) {
  NewMessage m;
  m.chat_jid = chat;
  m.chat_person = PersonSighting{chat};
  m.sender_jid = kMe;
  m.from_me = true;
  m.wa_id = id;
  m.sent_at = at(t);
  m.kind = "text";
  m.body = body;
  m.status = MessageStatus::delivered;
  return m;
}

NewMessage placeholder_of(NewMessage m, int retries) {
  m.kind = "placeholder";
  m.body.reset();
  m.raw.reset();
  m.decrypt_error = "bad MAC";
  m.decrypt_retries = retries;
  return m;
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

// Stored before the batches, under each account: a redelivery of it is
// already_stored, and an edit of M-late waits for it.
std::vector<NewMessage> history() {
  std::vector<NewMessage> out;
  out.push_back(text_from(kAlice, "OLD", "stored last week", 1));
  out.push_back(edit_of(text_from(kBob, "", "", 0), "E-EARLY", "B-LATE", "edited before it came", 300));
  return out;
}

// The batches, as a backlog would bring them.
std::vector<std::vector<NewMessage>> batches() {
  std::vector<std::vector<NewMessage>> out;
  {
    std::vector<NewMessage> b;
    b.push_back(text_from(kAlice, "A1", "hello", 100));
    b.push_back(text_from(kBob, "B1", "hi", 101));
    b.push_back(text_from(kAlice, "A2", "nul\0 and \xc3\x28 bytes"s, 102));
    b.push_back(text_from(kAlice, "OLD", "stored last week", 1));  // redelivered
    b.push_back(in_group(kAlice, "G1", "hi group", 103));
    b.push_back(in_group(kBob, "G2", "hey", 104));
    b.push_back(mine_to(kAlice, "ME1", "answer", 105));
    b.push_back(text_from(kBob, "B0", "older than B1", 99));  // out of order in its chat
    NewMessage image = text_from(kBob, "IMG", std::nullopt, 106);
    image.kind = "image";
    image.raw.reset();
    image.media = MediaRecord{"image/jpeg", 1234, Bytes(32, 1), std::nullopt, Bytes(32, 3), "/v/x", std::nullopt,
                              640, 480, std::nullopt};
    b.push_back(image);
    NewMessage empty = text_from(kAlice, "EMPTY", ""s, 107);
    empty.sender->push_name.reset();
    empty.quoted_wa_id = "A1";
    empty.push_name = "Alice (message)";
    b.push_back(empty);
    out.push_back(std::move(b));
  }
  {
    std::vector<NewMessage> b;
    b.push_back(text_from(kAlice, "A3", "before a hole", 200));
    b.push_back(placeholder_of(text_from(kBob, "HOLE", "", 201), 1));
    b.push_back(text_from(kAlice, "A4", "between", 202));
    NewMessage resent = text_from(kBob, "HOLE", "now readable", 201);
    resent.decrypt_retries = 1;
    b.push_back(resent);  // replaces the placeholder of this batch
    b.push_back(text_from(kAlice, "A5", "after", 203));
    b.push_back(edit_of(text_from(kAlice, "", "", 0), "E1", "A5", "after!", 204));
    b.push_back(text_from(kBob, "B-LATE", "original", 205));  // its edit came first
    b.push_back(text_from(kAlice, "TWICE", "one", 206));
    b.push_back(text_from(kAlice, "TWICE", "one", 206));  // the same key again
    NewMessage carol = text_from(kCarolLid, "C1", "via lid, with phone", 207);
    carol.sender->pn = kCarol;
    carol.chat_person->pn = kCarol;
    b.push_back(carol);
    NewMessage carol_again = carol;  // her pair is on record now (store_many: together)
    carol_again.wa_id = "C1b";
    carol_again.body = "again, both forms";
    carol_again.sent_at = at(207);
    carol_again.pairs_recorded = true;
    b.push_back(carol_again);
    b.push_back(text_from(kCarolLid, "C2", "via lid", 208));
    NewMessage revoke = mine_to(kAlice, "R1", "", 209);
    revoke.kind = "revoke";
    revoke.body.reset();
    revoke.target = TargetRef{"ME1", true, std::nullopt};
    b.push_back(revoke);
    b.push_back(text_from(kAlice, "A6", "last", 210));
    out.push_back(std::move(b));
  }
  return out;
}

std::string outcome_name(StoreOutcome o) {
  switch (o) {
    case StoreOutcome::inserted: return "inserted";
    case StoreOutcome::replaced_placeholder: return "replaced";
    case StoreOutcome::placeholder_updated: return "placeholder_updated";
    case StoreOutcome::already_stored: return "already_stored";
  }
  return "?";
}

class PgMessageBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.apply_schema();
    one_by_one_ = add_account("one-by-one");
    together_ = add_account("together");
  }

  std::int64_t add_account(const std::string& name) {
    return conn_.exec("INSERT INTO accounts (name) VALUES ($1) RETURNING id", {pg_text(name)}).value().int64(0, 0);
  }

  static NewMessage of(std::int64_t account, NewMessage m) {
    m.account_id = account;
    return m;
  }

  // Rows of a query as "a|b|c" lines, NULL as "-".
  std::vector<std::string> rows(std::string_view sql, std::int64_t account) {
    auto r = conn_.exec(sql, {pg_int(account)});
    EXPECT_TRUE(r) << r.error().to_string();
    std::vector<std::string> out;
    if (!r) return out;
    for (int row = 0; row < r->rows(); ++row) {
      std::string line;
      for (int col = 0; col < r->columns(); ++col) {
        if (col) line += '|';
        line += r->is_null(row, col) ? "-" : std::string(r->text(row, col));
      }
      out.push_back(line);
    }
    return out;
  }

  // Everything the store keeps of an account, without ids and the account.
  std::vector<std::string> dump(std::int64_t account) {
    std::vector<std::string> out;
    auto add = [&](std::string_view title, std::string_view sql) {
      out.push_back(std::string("# ") + std::string(title));
      for (auto& line : rows(sql, account)) out.push_back(std::move(line));
    };
    add("messages", R"(
      SELECT ch.jid, m.wa_id, m.sender_jid, sc.jid, m.from_me, m.sent_at, m.kind, m.body, m.file_name,
             m.quoted_wa_id, m.target_wa_id, m.push_name, m.status, m.decrypt_error, m.decrypt_retries, m.raw,
             m.deleted_at, m.edited_at, m.search
      FROM messages m JOIN chats ch ON ch.id = m.chat_id LEFT JOIN contacts sc ON sc.id = m.sender_contact_id
      WHERE m.account_id = $1 ORDER BY 1, 2, 3)");
    add("contacts", R"(
      SELECT c.jid, c.lid, c.phone, c.push_name, c.last_inbound_at, c.last_outbound_at, c.is_group, r.jid
      FROM contacts c LEFT JOIN contacts r ON r.id = c.merged_into WHERE c.account_id = $1 ORDER BY 1)");
    add("chats", R"(
      SELECT ch.jid, ch.is_group, c.jid, ch.last_message_at, ch.subject
      FROM chats ch LEFT JOIN contacts c ON c.id = ch.contact_id WHERE ch.account_id = $1 ORDER BY 1)");
    add("media", R"(
      SELECT m.wa_id, md.mimetype, md.file_length, md.file_sha256, md.file_enc_sha256, md.media_key,
             md.direct_path, md.url, md.width, md.height, md.duration_seconds
      FROM media md JOIN messages m ON m.id = md.message_id WHERE m.account_id = $1 ORDER BY 1)");
    add("edits", R"(
      SELECT m.wa_id, e.edited_at, e.previous_body, e.raw
      FROM message_edits e JOIN messages m ON m.id = e.message_id WHERE m.account_id = $1 ORDER BY 1, 2)");
    // The CRM's per-chat state, but for `version` and `rewrites`: counters of
    // statements (see RunIsOneStatement) and of out-of-order arrivals, which
    // compare against the state before the statement (migrations/008).
    add("crm_chat_state", R"(
      SELECT ch.jid, s.last_at, l.wa_id, s.last_from_me, s.last_in_at, li.wa_id, s.last_out_at, lo.wa_id
      FROM crm_chat_state s JOIN chats ch ON ch.id = s.chat_id
      LEFT JOIN messages l ON l.id = s.last_id LEFT JOIN messages li ON li.id = s.last_in_id
      LEFT JOIN messages lo ON lo.id = s.last_out_id
      WHERE ch.account_id = $1 ORDER BY 1)");
    add("lid_mappings", "SELECT lid, pn FROM lid_mappings WHERE account_id = $1 ORDER BY 1");
    return out;
  }

  testing::TestDatabase db_;
  PgConnection conn_ = db_.connect();
  PgMessageRepository repo_{conn_};
  std::int64_t one_by_one_ = 0;
  std::int64_t together_ = 0;
};

TEST_F(PgMessageBatchTest, StoreManyLeavesWhatStoringOneByOneLeaves) {
  for (std::int64_t account : {one_by_one_, together_})
    for (const auto& m : history()) ASSERT_TRUE(repo_.store(of(account, m)));

  std::vector<std::string> outcomes_one, outcomes_together;
  for (const auto& batch : batches()) {
    std::vector<NewMessage> mine;
    for (const auto& m : batch) {
      NewMessage alone = of(one_by_one_, m);
      alone.pairs_recorded = false;  // one by one, every pair is recorded (again)
      auto r = repo_.store(alone);
      ASSERT_TRUE(r) << r.error().to_string();
      outcomes_one.push_back(m.wa_id + " " + outcome_name(r->outcome) + (r->message_id ? " id" : " -") +
                             (r->target_applied ? " applied" : ""));
      mine.push_back(of(together_, m));
    }
    auto results = repo_.store_many(mine);
    ASSERT_TRUE(results) << results.error().to_string();
    ASSERT_EQ(results->size(), batch.size());
    for (std::size_t k = 0; k < batch.size(); ++k) {
      const StoreResult& r = (*results)[k];
      outcomes_together.push_back(batch[k].wa_id + " " + outcome_name(r.outcome) + (r.message_id ? " id" : " -") +
                                  (r.target_applied ? " applied" : ""));
    }
  }
  EXPECT_EQ(outcomes_together, outcomes_one);
  EXPECT_EQ(dump(together_), dump(one_by_one_));

  // What the mix was meant to reach.
  EXPECT_THAT(outcomes_one, ::testing::Contains("OLD already_stored -"));
  EXPECT_THAT(outcomes_one, ::testing::Contains("HOLE replaced id"));
  EXPECT_THAT(outcomes_one, ::testing::Contains("TWICE already_stored -"));
  EXPECT_THAT(outcomes_one, ::testing::Contains("E1 inserted id applied"));
  auto late = rows("SELECT body FROM messages WHERE account_id = $1 AND wa_id = 'B-LATE'", together_);
  EXPECT_THAT(late, ::testing::ElementsAre("edited before it came"));
  auto image = rows("SELECT count(*) FROM media JOIN messages m ON m.id = message_id WHERE m.account_id = $1",
                    together_);
  EXPECT_THAT(image, ::testing::ElementsAre("1"));
}

TEST_F(PgMessageBatchTest, RunIsOneStatement) {
  // crm_chat_state.version counts the statements that added to a chat.
  std::vector<NewMessage> texts;
  for (int i = 0; i < 20; ++i) texts.push_back(of(together_, text_from(kAlice, "T" + std::to_string(i), "x", i)));
  auto results = repo_.store_many(texts);
  ASSERT_TRUE(results) << results.error().to_string();
  for (const auto& r : *results) EXPECT_EQ(r.outcome, StoreOutcome::inserted);
  EXPECT_THAT(rows("SELECT s.version FROM crm_chat_state s JOIN chats ch ON ch.id = s.chat_id "
                   "WHERE ch.account_id = $1",
                   together_),
              ::testing::ElementsAre("1"));
  for (const auto& m : texts) ASSERT_TRUE(repo_.store(of(one_by_one_, m)));
  EXPECT_THAT(rows("SELECT s.version FROM crm_chat_state s JOIN chats ch ON ch.id = s.chat_id "
                   "WHERE ch.account_id = $1",
                   one_by_one_),
              ::testing::ElementsAre("20"));
  // Stored again together: all already there, nothing written.
  auto again = repo_.store_many(texts);
  ASSERT_TRUE(again);
  for (const auto& r : *again) EXPECT_EQ(r.outcome, StoreOutcome::already_stored);
  EXPECT_THAT(rows("SELECT count(*) FROM messages WHERE account_id = $1", together_), ::testing::ElementsAre("20"));
}

TEST(CanStoreTogether, OnlyPlainMessagesThatRecordNoPair) {
  EXPECT_TRUE(can_store_together(text_from(kAlice, "A", "x", 1)));
  EXPECT_TRUE(can_store_together(in_group(kAlice, "G", "x", 1)));
  EXPECT_TRUE(can_store_together(mine_to(kAlice, "M", "x", 1)));
  EXPECT_TRUE(can_store_together(text_from(kCarolLid, "C", "x", 1)));  // LID alone
  EXPECT_FALSE(can_store_together(placeholder_of(text_from(kAlice, "A", "x", 1), 1)));
  EXPECT_FALSE(can_store_together(edit_of(text_from(kAlice, "", "", 0), "E", "A", "y", 2)));
  NewMessage reaction = text_from(kAlice, "R", "+", 1);
  reaction.kind = "reaction";
  EXPECT_FALSE(can_store_together(reaction));
  NewMessage both = text_from(kCarolLid, "C", "x", 1);
  both.sender->pn = kCarol;
  EXPECT_FALSE(can_store_together(both));
  both.pairs_recorded = true;  // MessageRepository::settled_pairs said so
  EXPECT_TRUE(can_store_together(both));
  NewMessage both_chat = mine_to(kCarol, "M", "x", 1);
  both_chat.chat_person->lid = kCarolLid;
  EXPECT_FALSE(can_store_together(both_chat));
}

// settled_pairs() names a pair exactly when record_lid_mapping() would
// change nothing for it.
TEST_F(PgMessageBatchTest, PairsAreSettledOnlyWhenRecordingThemChangesNothing) {
  NewMessage both = of(together_, text_from(kCarolLid, "S1", "x", 1));
  both.sender->pn = kCarol;
  both.chat_person->pn = kCarol;
  const auto pairs = lid_pairs_of(both);
  ASSERT_EQ(pairs.size(), 2u);  // sender and chat person: the same pair
  EXPECT_EQ(pairs[0], LidPair(kCarolLid, kCarol));
  EXPECT_TRUE(lid_pairs_of(text_from(kAlice, "P", "x", 1)).empty());  // names no pair
  auto settled = [&] { return !repo_.settled_pairs(together_, pairs).value().empty(); };
  EXPECT_FALSE(settled());  // nothing on record

  // A row under the phone number, no pair yet.
  ASSERT_TRUE(repo_.store(of(together_, text_from(kCarol, "S0", "x", 1))));
  EXPECT_FALSE(settled());
  ASSERT_TRUE(repo_.record_lid_mapping(together_, kCarolLid, kCarol));
  EXPECT_TRUE(settled());

  // A second row under the LID that is not folded into hers: not settled.
  auto lid_row = conn_.exec("INSERT INTO contacts (account_id, jid) VALUES ($1, $2) RETURNING id",
                            {pg_int(together_), pg_text(kCarolLid)});
  ASSERT_TRUE(lid_row) << lid_row.error().to_string();
  EXPECT_FALSE(settled());
  ASSERT_TRUE(repo_.record_lid_mapping(together_, kCarolLid, kCarol));  // folds it
  EXPECT_TRUE(settled());

  // Asked together with an unknown pair: only hers comes back.
  const std::vector<LidPair> mixed = {LidPair(kCarolLid, kCarol), LidPair("100000000000099@lid", kBob)};
  EXPECT_THAT(repo_.settled_pairs(together_, mixed).value(), ::testing::ElementsAre(LidPair(kCarolLid, kCarol)));

  // The pair changes (the LID now maps to another number): not settled.
  ASSERT_TRUE(conn_.exec("UPDATE lid_mappings SET pn = $2 WHERE lid = $1", {pg_text(kCarolLid), pg_text(kBob)}));
  EXPECT_FALSE(settled());
}

TEST_F(PgMessageBatchTest, BinaryArraysCarryEveryValueExactly) {
  PgArray texts(PgArray::Type::text), blobs(PgArray::Type::bytea), big(PgArray::Type::int8),
      small(PgArray::Type::int4), flags(PgArray::Type::boolean);
  texts.add_text("quote \" backslash \\ comma , braces {} é"s);
  texts.add_null();
  texts.add_text(""s);
  blobs.add_bytes(Bytes{0x00, 0x5c, 0x22, 0xff});
  blobs.add_null();
  blobs.add_bytes(Bytes{});
  big.add_int8(-1);
  big.add_null();
  big.add_int8(1'700'000'000'000'000);
  small.add_int4(-2);
  small.add_int4(0);
  small.add_null();
  flags.add_bool(true);
  flags.add_bool(false);
  flags.add_null();
  auto r = conn_.exec(
      "SELECT t IS NULL, t, encode(b, 'hex'), b IS NULL, i, i IS NULL, s, s IS NULL, f, f IS NULL "
      "FROM unnest($1::text[], $2::bytea[], $3::bigint[], $4::integer[], $5::boolean[]) WITH ORDINALITY "
      "AS x(t, b, i, s, f, n) ORDER BY n",
      {texts.param(), blobs.param(), big.param(), small.param(), flags.param()});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->rows(), 3);
  EXPECT_EQ(r->text(0, 1), "quote \" backslash \\ comma , braces {} é");
  EXPECT_EQ(r->text(0, 2), "005c22ff");
  EXPECT_EQ(r->text(0, 4), "-1");
  EXPECT_EQ(r->text(0, 6), "-2");
  EXPECT_EQ(r->text(0, 8), "t");
  EXPECT_TRUE(r->boolean(1, 0));
  EXPECT_TRUE(r->boolean(1, 3));
  EXPECT_TRUE(r->boolean(1, 5));
  EXPECT_EQ(r->text(1, 6), "0");
  EXPECT_EQ(r->text(1, 8), "f");
  EXPECT_FALSE(r->boolean(2, 0));  // "" is not NULL
  EXPECT_EQ(r->text(2, 1), "");
  EXPECT_FALSE(r->boolean(2, 3));
  EXPECT_EQ(r->text(2, 2), "");
  EXPECT_EQ(r->text(2, 4), "1700000000000000");
  EXPECT_TRUE(r->boolean(2, 7));
  EXPECT_TRUE(r->boolean(2, 9));

  PgArray none(PgArray::Type::text);
  auto empty = conn_.exec("SELECT cardinality($1::text[])", {none.param()});
  ASSERT_TRUE(empty) << empty.error().to_string();
  EXPECT_EQ(empty->int64(0, 0), 0);
}

}  // namespace
}  // namespace wacrm::store
