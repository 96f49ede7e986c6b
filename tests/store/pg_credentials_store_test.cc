// PgCredentialsStore on the test PostgreSQL: the linked device round trip,
// atomic pairing writes, pre-key bookkeeping, and the logout wipe that keeps
// the account's messages.
#include "store/pg/pg_credentials_store.h"

#include <gtest/gtest.h>

#include "store/pg/pg_signal_store.h"
#include "support/test_database.h"

namespace wacrm::store {
namespace {

Bytes filled(std::size_t n, std::uint8_t v) { return Bytes(n, v); }

DeviceCredentials linked_credentials() {
  DeviceCredentials c;
  c.noise_private = filled(32, 1);
  c.noise_public = filled(32, 2);
  c.identity.identity_private = filled(32, 3);
  c.identity.identity_public = filled(32, 4);
  c.identity.registration_id = 12345;
  c.identity.signed_pre_key_id = 1;
  c.identity.signed_pre_key_private = filled(32, 5);
  c.identity.signed_pre_key_public = filled(32, 6);
  c.identity.signed_pre_key_signature = filled(64, 7);
  c.adv_secret = filled(32, 8);
  c.linked = LinkedDevice{"15551234567:7@s.whatsapp.net", "123456789012345:7@lid", filled(150, 9), "android",
                          "Bob's Bikes"};
  c.next_pre_key_id = 813;
  c.server_has_pre_keys = true;
  return c;
}

class PgCredentialsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.apply_schema();
    account_ = add_account("alice");
  }
  std::int64_t add_account(std::string_view name) {
    auto r = conn_.exec("INSERT INTO accounts (name) VALUES ($1) RETURNING id", {pg_text(name)});
    EXPECT_TRUE(r) << r.error().to_string();
    return r->int64(0, 0);
  }
  std::int64_t count(std::string_view table) {
    auto r = conn_.exec("SELECT count(*) FROM " + std::string(table) + " WHERE account_id = $1", {pg_int(account_)});
    EXPECT_TRUE(r) << r.error().to_string();
    return r->int64(0, 0);
  }
  std::string account_field(std::string_view column) {
    auto r = conn_.exec("SELECT coalesce(" + std::string(column) + "::text, '') FROM accounts WHERE id = $1",
                        {pg_int(account_)});
    EXPECT_TRUE(r) << r.error().to_string();
    return std::string(r->text(0, 0));
  }

  testing::TestDatabase db_;
  PgConnection conn_ = db_.connect();
  std::int64_t account_ = 0;
};

TEST_F(PgCredentialsStoreTest, NothingBeforePairing) {
  PgCredentialsStore store(conn_, account_);
  auto loaded = store.load();
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_FALSE(loaded->has_value());
  EXPECT_EQ(store.set_next_pre_key_id(5).error().code, Errc::not_found);
  EXPECT_EQ(store.update_lid("1:1@lid").error().code, Errc::not_found);
}

TEST_F(PgCredentialsStoreTest, SavesTheLinkedDeviceAndMarksTheAccount) {
  PgCredentialsStore store(conn_, account_);
  const DeviceCredentials saved = linked_credentials();
  ASSERT_TRUE(store.save_linked(saved));

  auto loaded = store.load();
  ASSERT_TRUE(loaded && loaded->has_value());
  const DeviceCredentials& c = **loaded;
  EXPECT_EQ(c.noise_private, saved.noise_private);
  EXPECT_EQ(c.noise_public, saved.noise_public);
  EXPECT_EQ(c.identity.identity_public, saved.identity.identity_public);
  EXPECT_EQ(c.identity.registration_id, 12345u);
  EXPECT_EQ(c.identity.signed_pre_key_signature, saved.identity.signed_pre_key_signature);
  EXPECT_EQ(c.adv_secret, saved.adv_secret);
  ASSERT_TRUE(c.linked);
  EXPECT_EQ(c.linked->jid, "15551234567:7@s.whatsapp.net");
  EXPECT_EQ(c.linked->lid, "123456789012345:7@lid");
  EXPECT_EQ(c.linked->adv_signed_identity, saved.linked->adv_signed_identity);
  EXPECT_EQ(c.linked->platform, "android");
  EXPECT_EQ(c.linked->business_name, "Bob's Bikes");
  EXPECT_EQ(c.next_pre_key_id, 813u);
  EXPECT_TRUE(c.server_has_pre_keys);

  EXPECT_EQ(account_field("link_state"), "linked");
  EXPECT_EQ(account_field("jid"), "15551234567:7@s.whatsapp.net");
  EXPECT_NE(account_field("linked_at"), "");

  // The Signal store reads the same identity.
  PgSignalStore signal_store(conn_, account_);
  auto identity = signal_store.local_identity();
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->identity_private, saved.identity.identity_private);
}

TEST_F(PgCredentialsStoreTest, RefusesUnlinkedCredentialsAndVanishedAccounts) {
  DeviceCredentials unlinked = linked_credentials();
  unlinked.linked.reset();
  EXPECT_EQ(PgCredentialsStore(conn_, account_).save_linked(unlinked).error().code, Errc::invalid_argument);
  EXPECT_EQ(PgCredentialsStore(conn_, 999999).save_linked(linked_credentials()).error().code, Errc::not_found);
  EXPECT_EQ(count("device_credentials"), 0);
}

TEST_F(PgCredentialsStoreTest, AnAbortedTransactionLeavesNothing) {
  {
    auto tx = PgTransaction::begin(conn_);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(PgCredentialsStore(conn_, account_).save_linked(linked_credentials()));
    // destroyed without commit: rolled back
  }
  EXPECT_EQ(count("device_credentials"), 0);
  EXPECT_EQ(account_field("link_state"), "unlinked");
  EXPECT_EQ(account_field("jid"), "");
}

TEST_F(PgCredentialsStoreTest, PreKeyBookkeepingAndLid) {
  PgCredentialsStore store(conn_, account_);
  DeviceCredentials c = linked_credentials();
  c.next_pre_key_id = 1;
  c.server_has_pre_keys = false;
  ASSERT_TRUE(store.save_linked(c));
  ASSERT_TRUE(store.set_next_pre_key_id(813));
  ASSERT_TRUE(store.set_server_has_pre_keys(true));
  ASSERT_TRUE(store.update_lid("999:7@lid"));
  auto loaded = store.load();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ((*loaded)->next_pre_key_id, 813u);
  EXPECT_TRUE((*loaded)->server_has_pre_keys);
  EXPECT_EQ((*loaded)->linked->lid, "999:7@lid");
}

TEST_F(PgCredentialsStoreTest, WipeRemovesKeysAndSignalStateButKeepsMessages) {
  PgCredentialsStore store(conn_, account_);
  ASSERT_TRUE(store.save_linked(linked_credentials()));
  PgSignalStore signal_store(conn_, account_);
  ASSERT_TRUE(signal_store.store_session("15550002222", 0, filled(10, 1)));
  ASSERT_TRUE(signal_store.store_pre_key(1, filled(10, 2)));
  ASSERT_TRUE(signal_store.save_identity("15550002222", 0, filled(33, 5)));
  ASSERT_TRUE(signal_store.store_sender_key("g@g.us", "15550002222", 0, filled(10, 3)));
  auto chat = conn_.exec("INSERT INTO chats (account_id, jid) VALUES ($1, '15550002222@s.whatsapp.net') RETURNING id",
                         {pg_int(account_)});
  ASSERT_TRUE(chat) << chat.error().to_string();
  ASSERT_TRUE(conn_.exec("INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind, body) "
                         "VALUES ($1, $2, 'M1', '15550002222@s.whatsapp.net', false, now(), 'text', 'hi')",
                         {pg_int(account_), pg_int(chat->int64(0, 0))}));
  // Another account's state is not touched.
  std::int64_t other = add_account("bob");
  ASSERT_TRUE(PgCredentialsStore(conn_, other).save_linked(linked_credentials()));

  ASSERT_TRUE(store.wipe("logged out: this device was removed on the phone"));
  auto loaded = store.load();
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->has_value());
  for (auto table : {"device_credentials", "signal_sessions", "signal_prekeys", "signal_identities",
                     "signal_sender_keys"})
    EXPECT_EQ(count(table), 0) << table;
  EXPECT_EQ(count("messages"), 1);
  EXPECT_EQ(count("chats"), 1);
  EXPECT_EQ(account_field("link_state"), "logged_out");
  EXPECT_EQ(account_field("logged_out_reason"), "logged out: this device was removed on the phone");
  EXPECT_NE(account_field("logged_out_at"), "");
  EXPECT_TRUE(PgCredentialsStore(conn_, other).load()->has_value());

  // Linking again clears the logged-out marks.
  ASSERT_TRUE(store.save_linked(linked_credentials()));
  EXPECT_EQ(account_field("link_state"), "linked");
  EXPECT_EQ(account_field("logged_out_reason"), "");
}

}  // namespace
}  // namespace wacrm::store
