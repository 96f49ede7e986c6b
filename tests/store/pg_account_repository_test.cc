#include "store/pg/pg_account_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "store/pg/migrator.h"
#include "store/pg/pg_time.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace wacrm::store {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class PgAccountRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto report = migrate(conn_, std::filesystem::path(testing::source_dir()) / "migrations");
    ASSERT_TRUE(report) << report.error().to_string();
  }

  testing::TestDatabase db_;
  PgConnection conn_ = db_.connect();
  PgAccountRepository accounts_{conn_};
};

TEST_F(PgAccountRepositoryTest, AddReturnsTheNewUnlinkedAccount) {
  auto before = std::chrono::system_clock::now();
  auto a = accounts_.add("alice");
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_GT(a->id, 0);
  EXPECT_EQ(a->name, "alice");
  EXPECT_EQ(a->link_state, LinkState::unlinked);
  EXPECT_FALSE(a->jid || a->lid || a->push_name || a->linked_at || a->logged_out_reason);
  // Set by the server's clock, which is this machine's: a sanity bound, not a timing check.
  EXPECT_LT(std::chrono::abs(a->created_at - before), 10min);
}

TEST_F(PgAccountRepositoryTest, DuplicateAndInvalidNamesAreRefusedClearly) {
  ASSERT_TRUE(accounts_.add("alice"));
  auto dup = accounts_.add("alice");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::already_exists);
  EXPECT_THAT(dup.error().message, HasSubstr("'alice'"));
  auto bad = accounts_.add("al ice");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  EXPECT_THAT(bad.error().message, HasSubstr("letters, digits"));
}

TEST_F(PgAccountRepositoryTest, TheNameRuleMatchesTheSchemaCheck) {
  for (const std::string& name : std::vector<std::string>{"a", "alice", "A.b-c_d", "-a", ".a", "a b", "é", "a/b",
                                                          std::string(64, 'x'), std::string(65, 'y')}) {
    bool cpp = validate_account_name(name).has_value();
    auto sql = conn_.exec("INSERT INTO accounts (name) VALUES ($1)", {pg_text(name)});
    EXPECT_EQ(cpp, sql.has_value()) << "name '" << name << "'";
  }
}

TEST_F(PgAccountRepositoryTest, ListIsOrderedByName) {
  for (auto name : {"carol", "alice", "Bob", "bob"}) ASSERT_TRUE(accounts_.add(name));
  auto all = accounts_.list();
  ASSERT_TRUE(all) << all.error().to_string();
  std::vector<std::string> names;
  for (const auto& a : *all) names.push_back(a.name);
  EXPECT_THAT(names, ::testing::ElementsAre("Bob", "alice", "bob", "carol"));
}

TEST_F(PgAccountRepositoryTest, FindReadsLinkDetails) {
  ASSERT_TRUE(accounts_.add("alice"));
  ASSERT_TRUE(conn_.exec(
      "UPDATE accounts SET jid = '15551234567:12@s.whatsapp.net', lid = '123456789:12@lid', push_name = 'Alice', "
      "link_state = 'linked', linked_at = '2024-05-01 12:34:56.789+02' WHERE name = 'alice'"));
  auto a = accounts_.find("alice");
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(a->jid, "15551234567:12@s.whatsapp.net");
  EXPECT_EQ(a->lid, "123456789:12@lid");
  EXPECT_EQ(a->push_name, "Alice");
  EXPECT_EQ(a->link_state, LinkState::linked);
  ASSERT_TRUE(a->linked_at);
  EXPECT_EQ(format_timestamptz(*a->linked_at), "2024-05-01 10:34:56.789000+00");

  ASSERT_TRUE(conn_.exec("UPDATE accounts SET link_state = 'logged_out', logged_out_reason = 'removed on phone'"));
  a = accounts_.find("alice");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->link_state, LinkState::logged_out);
  EXPECT_EQ(a->logged_out_reason, "removed on phone");

  auto missing = accounts_.find("bob");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_THAT(missing.error().message, HasSubstr("'bob'"));
}

// Counts rows in every table of the schema, by name.
std::map<std::string, std::int64_t> row_counts(PgConnection& conn) {
  std::map<std::string, std::int64_t> counts;
  auto tables = conn.exec(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  EXPECT_TRUE(tables);
  for (int i = 0; tables && i < tables->rows(); ++i) {
    std::string table(tables->text(i, 0));
    auto n = conn.exec("SELECT count(*) FROM " + table);
    counts[table] = n ? n->int64(0, 0) : -1;
  }
  return counts;
}

TEST_F(PgAccountRepositoryTest, RemoveDeletesTheAccountAndAllItsData) {
  auto alice = accounts_.add("alice").value();
  auto bob = accounts_.add("bob").value();
  // Something in every table of 001 that hangs off an account.
  ASSERT_TRUE(conn_.exec(
      "INSERT INTO device_credentials (account_id, noise_private, noise_public, identity_private, identity_public, "
      "registration_id, signed_prekey_id, signed_prekey_private, signed_prekey_public, signed_prekey_signature, "
      "adv_secret) VALUES ($1, '\\x01', '\\x02', '\\x03', '\\x04', 1, 1, '\\x05', '\\x06', '\\x07', '\\x08')",
      {pg_int(alice.id)}));
  std::string id = std::to_string(alice.id);
  ASSERT_TRUE(conn_.exec_script(
      "INSERT INTO signal_identities VALUES (" + id + ", '1555', 0, '\\x01');"
      "INSERT INTO signal_sessions VALUES (" + id + ", '1555', 0, '\\x01');"
      "INSERT INTO signal_prekeys VALUES (" + id + ", 1, '\\x01');"
      "INSERT INTO signal_signed_prekeys VALUES (" + id + ", 1, '\\x01');"
      "INSERT INTO signal_sender_keys VALUES (" + id + ", 'g@g.us', '1555', 0, '\\x01');"
      "INSERT INTO contacts (account_id, jid) VALUES (" + id + ", '1555@s.whatsapp.net'), (" + id + ", '1666@s.whatsapp.net');"
      "UPDATE contacts SET merged_into = (SELECT min(id) FROM contacts) WHERE jid = '1666@s.whatsapp.net';"
      "INSERT INTO lid_mappings VALUES (" + id + ", '99@lid', '1555@s.whatsapp.net');"
      "INSERT INTO contact_notes (contact_id, body) SELECT id, 'met at the market' FROM contacts;"
      "INSERT INTO contact_tags (contact_id, tag) SELECT id, 'family' FROM contacts;"
      "INSERT INTO chats (account_id, jid, contact_id) SELECT " + id + ", jid, id FROM contacts;"
      "INSERT INTO chats (account_id, jid, is_group) VALUES (" + id + ", 'g@g.us', true);"
      "INSERT INTO group_participants SELECT id, '1555@s.whatsapp.net' FROM chats WHERE is_group;"
      "INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, sender_contact_id, from_me, sent_at, kind, body)"
      "  SELECT " + id + ", id, 'M1', jid, contact_id, false, now(), 'image', 'hello' FROM chats;"
      "INSERT INTO message_edits (message_id, edited_at, previous_body) SELECT id, now(), 'helo' FROM messages;"
      "INSERT INTO media (message_id, mimetype) SELECT id, 'image/jpeg' FROM messages;"
      "INSERT INTO reminders (account_id, contact_id, due_at) SELECT " + id + ", id, now() FROM contacts;"));
  ASSERT_TRUE(conn_.exec("INSERT INTO contacts (account_id, jid) VALUES ($1, '1777@s.whatsapp.net')", {pg_int(bob.id)}));

  auto usage = accounts_.usage(alice.id);
  ASSERT_TRUE(usage) << usage.error().to_string();
  EXPECT_EQ(usage->messages, 3);  // one per chat: two people and a group
  EXPECT_EQ(usage->contacts, 2);
  EXPECT_EQ(accounts_.usage(bob.id)->contacts, 1);

  auto filled = row_counts(conn_);
  for (const char* table : {"accounts", "device_credentials", "signal_identities", "signal_sessions", "signal_prekeys",
                            "signal_signed_prekeys", "signal_sender_keys", "contacts", "lid_mappings",
                            "contact_notes", "contact_tags", "chats", "group_participants", "messages",
                            "message_edits", "media", "reminders"})
    EXPECT_GT(filled[table], 0) << table;

  ASSERT_TRUE(accounts_.remove("alice"));
  EXPECT_EQ(accounts_.find("alice").error().code, Errc::not_found);
  // Every table, including any a later migration adds.
  for (const auto& [table, n] : row_counts(conn_)) {
    if (table == "schema_migrations") continue;
    std::int64_t expected = (table == "accounts" || table == "contacts") ? 1 : 0;  // bob and his contact
    EXPECT_EQ(n, expected) << table;
  }

  auto again = accounts_.remove("alice");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::not_found);
}

}  // namespace
}  // namespace wacrm::store
