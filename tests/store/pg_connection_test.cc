#include "store/pg/pg_connection.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace wacrm::store {
namespace {

TEST(PgConnection, ParamsAndResultsRoundTrip) {
  testing::TestDatabase db;
  auto conn = db.connect();
  Bytes blob{0x00, 0x01, 0xfe, 0xff};
  auto r = conn.exec("SELECT $1::text, $2::bigint, $3::bytea, $4::text IS NULL, $5::boolean",
                     {pg_text("héllo"), pg_int(-42), pg_bytes(blob), PgNull{}, pg_bool(true)});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->text(0, 0), "héllo");
  EXPECT_EQ(r->int64(0, 1), -42);
  EXPECT_EQ(r->bytes(0, 2), blob);
  EXPECT_TRUE(r->boolean(0, 3));
  EXPECT_TRUE(r->boolean(0, 4));
}

TEST(PgConnection, UniqueViolationIsAlreadyExists) {
  testing::TestDatabase db;
  auto conn = db.connect();
  ASSERT_TRUE(conn.exec("CREATE TABLE t (k text PRIMARY KEY)"));
  ASSERT_TRUE(conn.exec("INSERT INTO t VALUES ('a')"));
  auto r = conn.exec("INSERT INTO t VALUES ('a')");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::already_exists);
  EXPECT_NE(r.error().message.find("23505"), std::string::npos);
}

TEST(PgConnection, TransactionRollsBackUnlessCommitted) {
  testing::TestDatabase db;
  auto conn = db.connect();
  ASSERT_TRUE(conn.exec("CREATE TABLE t (k int)"));
  {
    auto tx = PgTransaction::begin(conn);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(conn.exec("INSERT INTO t VALUES (1)"));
  }
  {
    auto tx = PgTransaction::begin(conn);
    ASSERT_TRUE(conn.exec("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(tx->commit());
  }
  auto r = conn.exec("SELECT array_agg(k)::text FROM t");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text(0, 0), "{2}");
}

TEST(PgConnection, CommitAfterAFailedStatementIsAnError) {
  testing::TestDatabase db;
  auto conn = db.connect();
  ASSERT_TRUE(conn.exec("CREATE TABLE t (k int PRIMARY KEY)"));
  {
    auto tx = PgTransaction::begin(conn);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(conn.exec("INSERT INTO t VALUES (1)"));
    EXPECT_FALSE(conn.exec("INSERT INTO t VALUES (1)"));  // aborts the transaction
    auto committed = tx->commit();
    ASSERT_FALSE(committed);
    EXPECT_EQ(committed.error().code, Errc::database);
  }
  auto r = conn.exec("SELECT count(*) FROM t");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->int64(0, 0), 0);
}

TEST(PgConnection, EmptyScriptIsAnErrorThatSaysSo) {
  testing::TestDatabase db;
  auto conn = db.connect();
  auto r = conn.exec_script("  -- nothing here yet\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the script contains no SQL statement");
}

TEST(PgConnection, UnreachableServerIsUnavailable) {
  auto conn = PgConnection::connect("host=/nonexistent-wacrm-dir user=postgres connect_timeout=2");
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, Errc::unavailable);
}

TEST(Schema, InitialMigrationAppliesAndSearchFoldsAccents) {
  testing::TestDatabase db;
  db.apply_schema();
  auto conn = db.connect();
  ASSERT_TRUE(conn.exec("INSERT INTO accounts (name) VALUES ('alice')"));
  ASSERT_TRUE(conn.exec("INSERT INTO chats (account_id, jid) SELECT id, '1@s.whatsapp.net' FROM accounts"));
  ASSERT_TRUE(conn.exec(
      "INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind, body) "
      "SELECT a.id, c.id, 'ABC', '1@s.whatsapp.net', false, now(), 'text', 'Café crème à Zürich' "
      "FROM accounts a, chats c"));
  auto r = conn.exec("SELECT count(*) FROM messages WHERE search @@ websearch_to_tsquery('wacrm_search', 'cafe zurich')");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->int64(0, 0), 1);
  // The same id from the same sender in the same chat is the same message.
  auto dup = conn.exec(
      "INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind) "
      "SELECT a.id, c.id, 'ABC', '1@s.whatsapp.net', false, now(), 'text' FROM accounts a, chats c");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::already_exists);
}

}  // namespace
}  // namespace wacrm::store
