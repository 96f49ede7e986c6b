// Full-text search: websearch syntax, accents, ranking with recency,
// filters and highlighted snippets.
#include "crm/crm_store_fixture.h"

namespace wacrm::testing {
namespace {

class SearchTest : public CrmStoreTest {
 protected:
  void SetUp() override {
    bob_ = h_.person("Bob", "1");
    carol_ = h_.person("Carol", "2");
    group_ = h_.group("Climbing", "1-2@g.us");
    bob_old_ = h_.in(h_.chat_of(bob_), kNow - 300 * 24h, "the climbing gym opens at nine");
    bob_new_ = h_.out(h_.chat_of(bob_), kNow - 2 * 24h, "climbing gym tomorrow?");
    carol_msg_ = h_.in(h_.chat_of(carol_), kNow - 24h, "Café in Zürich, then the gym");
    group_msg_ = h_.message(h_.chat_of(group_), false, kNow - 3 * 24h,
                            {.body = "gym climbing session on sunday", .sender_contact = bob_,
                             .sender_jid = "1@s.whatsapp.net"});
    doc_ = h_.message(h_.chat_of(carol_), true, kNow - 5 * 24h,
                      {.kind = "document", .body = "", .file_name = "climbing-gym-invoice.pdf"});
    h_.message(h_.chat_of(carol_), false, kNow - 1h, {.kind = "reaction", .body = "gym"});
  }

  std::vector<store::SearchHit> search(store::SearchQuery q) {
    q.account_id = h_.account_id();
    q.now = kNow;
    if (q.limit == 0) q.limit = 20;
    return ok(store_.search(q));
  }
  static std::vector<std::int64_t> ids(const std::vector<store::SearchHit>& hits) {
    std::vector<std::int64_t> out;
    for (const auto& h : hits) out.push_back(h.message_id);
    return out;
  }

  std::int64_t bob_ = 0, carol_ = 0, group_ = 0;
  std::int64_t bob_old_ = 0, bob_new_ = 0, carol_msg_ = 0, group_msg_ = 0, doc_ = 0;
};

TEST_F(SearchTest, TwoWordsRankedWithRecencyAndFileNames) {
  auto hits = search({.text = "climbing gym"});
  // All four contain both words; equal text relevance is ordered by recency,
  // and the document matches through its file name. The reaction never does.
  ASSERT_EQ(hits.size(), 4u);
  EXPECT_EQ(hits[0].message_id, bob_new_);
  EXPECT_EQ(hits.back().message_id, bob_old_);
  EXPECT_NE(std::find(ids(hits).begin(), ids(hits).end(), doc_), ids(hits).end());
  for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
}

TEST_F(SearchTest, AccentsFoldAndSnippetsMarkMatches) {
  auto hits = search({.text = "cafe zurich"});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].message_id, carol_msg_);
  EXPECT_EQ(hits[0].chat_name, "Carol");
  EXPECT_EQ(hits[0].sender, "Carol");
  EXPECT_EQ(hits[0].snippet, "\x02" "Café" "\x03" " in " "\x02" "Zürich" "\x03" ", then the gym");
}

TEST_F(SearchTest, WebsearchSyntax) {
  EXPECT_EQ(ids(search({.text = "gym -climbing"})), (std::vector<std::int64_t>{carol_msg_}));
  EXPECT_EQ(ids(search({.text = "\"gym opens\""})), (std::vector<std::int64_t>{bob_old_}));
  EXPECT_EQ(search({.text = "zurich or nine"}).size(), 2u);
}

TEST_F(SearchTest, Filters) {
  // By contact: Bob's chat and what Bob wrote in groups.
  auto by_bob = search({.text = "gym", .person_id = bob_});
  EXPECT_EQ(by_bob.size(), 3u);
  auto in_group = search({.text = "gym", .chat_ids = {h_.chat_of(group_)}});
  ASSERT_EQ(in_group.size(), 1u);
  EXPECT_EQ(in_group[0].sender, "Bob");
  EXPECT_EQ(in_group[0].chat_name, "Climbing");
  auto mine = search({.text = "gym", .from_me = true});
  EXPECT_EQ(ids(mine).size(), 2u);   // bob_new_ and the document
  auto recent = search({.text = "gym", .from = kNow - 4 * 24h, .to = kNow - 12h});
  EXPECT_EQ(ids(recent).size(), 3u);  // bob_new_, carol_msg_, group_msg_
  auto page = search({.text = "gym", .limit = 2, .offset = 2});
  EXPECT_EQ(page.size(), 2u);
}

TEST_F(SearchTest, MergedContactFilterCoversTheMergedRow) {
  auto bob_lid = h_.contact({.jid = "9@lid"});
  auto lid_msg = h_.in(h_.chat("9@lid", bob_lid), kNow - 1h, "gym again");
  ASSERT_TRUE(store_.merge(h_.account_id(), bob_, bob_lid));
  auto hits = search({.text = "gym again", .person_id = bob_});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].message_id, lid_msg);
  EXPECT_EQ(hits[0].chat_name, "Bob");
}

}  // namespace
}  // namespace wacrm::testing
