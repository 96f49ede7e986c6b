// Pre-key upkeep: the nodes, the batch policy of notes 01 §7.3 / 02 §2.9, and
// the bookkeeping through the stores (ids advance, unuploaded keys are reused,
// keys count as uploaded only once recorded).
#include "wa/prekeys.h"

#include <gtest/gtest.h>

#include "signal/context.h"
#include "signal/key_generation.h"
#include "wa/client_payload.h"
#include "wa/credentials.h"
#include "wa/memory_account_stores.h"

namespace wacrm::wa {
namespace {

using wire::Node;

TEST(PreKeys, BatchPolicy) {
  EXPECT_EQ(pre_keys_to_upload(0, false), 812u);
  EXPECT_EQ(pre_keys_to_upload(0, true), 50u);
  EXPECT_EQ(pre_keys_to_upload(4, false), 50u);
  EXPECT_EQ(pre_keys_to_upload(5, true), 0u);
  EXPECT_EQ(pre_keys_to_upload(800, true), 0u);
}

TEST(PreKeys, CountQueryAndAnswers) {
  Node query = pre_key_count_query();
  EXPECT_EQ(query.attr_or("xmlns"), "encrypt");
  EXPECT_EQ(query.attr_or("type"), "get");
  EXPECT_NE(query.child("count"), nullptr);
  Node result("iq", {{"type", "result"}}, Node::Children{Node("count", {{"value", "17"}})});
  EXPECT_EQ(parse_pre_key_count(result).value(), 17u);
  EXPECT_FALSE(parse_pre_key_count(Node("iq", {{"type", "result"}})));

  Node low("notification", {{"from", "@s.whatsapp.net"}, {"type", "encrypt"}, {"id", "n"}},
           Node::Children{Node("count", {{"value", "3"}})});
  EXPECT_EQ(low_pre_key_notification(low), 3u);
  Node identity_change("notification", {{"from", "1555@s.whatsapp.net"}, {"type", "encrypt"}},
                       Node::Children{Node("identity")});
  EXPECT_FALSE(low_pre_key_notification(identity_change));
}

class PreKeyStoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = generate_credentials(context_).value();
    c.linked = store::LinkedDevice{"15551234567:3@s.whatsapp.net", "", {1}, "android", ""};
    stores_.credentials_store.credentials = c;
  }
  signal::Context context_ = signal::Context::create().value();
  testing::MemoryAccountStores stores_;
};

TEST_F(PreKeyStoresTest, UploadNodeCarriesEveryKeyAndTheSignedPreKey) {
  auto keys = prepare_pre_keys(stores_, 3);
  ASSERT_TRUE(keys) << keys.error().to_string();
  const auto& identity = stores_.credentials_store.credentials->identity;
  Node upload = pre_key_upload(identity, *keys);
  EXPECT_EQ(upload.attr_or("xmlns"), "encrypt");
  EXPECT_EQ(upload.attr_or("type"), "set");
  EXPECT_EQ(to_hex(*upload.child("registration")->bytes()), to_hex(big_endian(identity.registration_id, 4)));
  EXPECT_EQ(to_hex(*upload.child("type")->bytes()), "05");
  EXPECT_EQ(*upload.child("identity")->bytes(), identity.identity_public);
  auto listed = upload.child("list")->children("key");
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(to_hex(*listed[0]->child("id")->bytes()), "000001");
  EXPECT_EQ(to_hex(*listed[2]->child("id")->bytes()), "000003");
  EXPECT_EQ(listed[1]->child("value")->bytes()->size(), 32u);
  const Node* skey = upload.child("skey");
  EXPECT_EQ(to_hex(*skey->child("id")->bytes()), "000001");
  EXPECT_EQ(skey->child("signature")->bytes()->size(), 64u);
}

TEST_F(PreKeyStoresTest, IdsAdvanceAndUnuploadedKeysAreReusedFirst) {
  auto first = prepare_pre_keys(stores_, 5);
  ASSERT_TRUE(first);
  EXPECT_EQ(stores_.credentials_store.credentials->next_pre_key_id, 6u);
  EXPECT_EQ(stores_.signal_store.pre_key_count(), 5u);
  // The upload of the first batch never got a result: the same keys come back, plus two new.
  auto second = prepare_pre_keys(stores_, 7);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 7u);
  EXPECT_EQ((*second)[0].id, 1u);
  EXPECT_EQ((*second)[0].key.public_key, (*first)[0].key.public_key);
  EXPECT_EQ((*second)[6].id, 7u);
  EXPECT_EQ(stores_.credentials_store.credentials->next_pre_key_id, 8u);

  std::vector<std::uint32_t> ids;
  for (const auto& k : *second) ids.push_back(k.id);
  ASSERT_TRUE(record_pre_key_upload(stores_, ids));
  EXPECT_TRUE(stores_.credentials_store.credentials->server_has_pre_keys);
  EXPECT_TRUE(stores_.signal_store.unuploaded_pre_key_ids()->empty());
  auto third = prepare_pre_keys(stores_, 2);
  ASSERT_TRUE(third);
  EXPECT_EQ((*third)[0].id, 8u);  // uploaded ids are never handed out again
}

TEST_F(PreKeyStoresTest, WithoutCredentialsNothingIsMade) {
  stores_.credentials_store.credentials.reset();
  auto keys = prepare_pre_keys(stores_, 2);
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().code, Errc::not_found);
  EXPECT_EQ(stores_.signal_store.pre_key_count(), 0u);
}

}  // namespace
}  // namespace wacrm::wa
