// crm.contact.* through the method table.
#include "crm/crm_api_fixture.h"

namespace wacrm::testing {
namespace {

class ContactMethodsTest : public CrmApiTest {};

TEST_F(ContactMethodsTest, ShowGathersProfileAndStatsInTheRequestedZone) {
  auto bob = h_.person("Bob", "111");
  h_.in(h_.chat_of(bob), kNow - 3h, "question");     // 09:00 UTC = 11:00 Berlin
  h_.out(h_.chat_of(bob), kNow - 2h, "answer");      // 10:00 UTC = 12:00 Berlin
  h_.in(h_.chat_of(bob), kNow - 2h + 1min, "thanks");
  control::CrmTagRequest tag;
  tag.set_contact("Bob");
  tag.add_tags("Friends");
  ok(call<control::CrmTagResponse>("crm.contact.tag.add", tag));
  control::CrmNoteAddRequest note;
  note.set_contact("bob");
  note.set_body("owes me a book");
  ok(call<control::CrmNoteAddResponse>("crm.contact.note.add", note));

  control::CrmContactShowRequest req;
  req.set_contact("Bob");
  auto res = ok(call<control::CrmContactShowResponse>("crm.contact.show", req));
  EXPECT_EQ(res.person().name(), "Bob");
  EXPECT_EQ(res.time_zone(), "Europe/Berlin");   // the settings' default
  EXPECT_EQ(res.tags_size(), 1);
  EXPECT_EQ(res.tags(0), "friends");
  ASSERT_EQ(res.notes_size(), 1);
  EXPECT_EQ(res.notes(0).body(), "owes me a book");
  EXPECT_EQ(res.cadence_days(), 7);
  EXPECT_TRUE(res.cadence_is_default());
  const auto& s = res.stats();
  EXPECT_EQ(s.sent().all_time(), 1);
  EXPECT_EQ(s.received().last_30_days(), 2);
  EXPECT_EQ(s.my_replies().samples(), 1);
  EXPECT_DOUBLE_EQ(s.my_replies().median_seconds(), 3600);
  EXPECT_EQ(s.their_replies().samples(), 1);
  EXPECT_DOUBLE_EQ(s.their_replies().average_seconds(), 60);
  EXPECT_EQ(s.by_hour_size(), 24);
  EXPECT_EQ(s.busiest_hour(), 12);
  EXPECT_EQ(s.busiest_weekday(), 1);   // Monday
  EXPECT_EQ(s.last_received().text(), "thanks");
  EXPECT_EQ(s.last_sent().sent_at().seconds(),
            std::chrono::duration_cast<std::chrono::seconds>((kNow - 2h).time_since_epoch()).count());

  req.set_time_zone("UTC");
  EXPECT_EQ(ok(call<control::CrmContactShowResponse>("crm.contact.show", req)).stats().busiest_hour(), 10);
  req.set_time_zone("Nowhere/Special");
  auto bad = call<control::CrmContactShowResponse>("crm.contact.show", req);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().error.code, Errc::invalid_argument);
}

TEST_F(ContactMethodsTest, TagsAllOrNothing) {
  h_.person("Bob", "111");
  control::CrmTagRequest req;
  req.set_contact("Bob");
  req.add_tags("ok");
  req.add_tags("not ok");
  auto r = call<control::CrmTagResponse>("crm.contact.tag.add", req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, Errc::invalid_argument);
  EXPECT_EQ(h_.sql("SELECT count(*) FROM contact_tags"), "0");

  req.clear_tags();
  req.add_tags("Work");
  req.add_tags("gym");
  EXPECT_EQ(ok(call<control::CrmTagResponse>("crm.contact.tag.add", req)).tags_size(), 2);
  req.clear_tags();
  req.add_tags("work");
  req.add_tags("never-had");
  auto removed = ok(call<control::CrmTagResponse>("crm.contact.tag.remove", req));
  ASSERT_EQ(removed.tags_size(), 1);
  EXPECT_EQ(removed.tags(0), "gym");
  ASSERT_EQ(removed.unchanged_size(), 1);
  EXPECT_EQ(removed.unchanged(0), "never-had");
}

TEST_F(ContactMethodsTest, ListByTagAndNotesList) {
  auto bob = h_.person("Bob", "111");
  h_.person("Carol", "222");
  ASSERT_TRUE(store_.add_tags(h_.account_id(), bob, std::vector<std::string>{"climbing"}));
  control::CrmContactListRequest req;
  req.set_tag("Climbing");
  auto res = ok(call<control::CrmContactListResponse>("crm.contact.list", req));
  ASSERT_EQ(res.items_size(), 1);
  EXPECT_EQ(res.items(0).person().name(), "Bob");
  req.clear_tag();
  EXPECT_EQ(ok(call<control::CrmContactListResponse>("crm.contact.list", req)).items_size(), 2);
  req.set_limit(-1);
  EXPECT_FALSE(call<control::CrmContactListResponse>("crm.contact.list", req));

  control::CrmNoteAddRequest note;
  note.set_contact("Carol");
  note.set_body("   ");
  auto empty = call<control::CrmNoteAddResponse>("crm.contact.note.add", note);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().error.code, Errc::invalid_argument);
  note.set_body("first");
  ok(call<control::CrmNoteAddResponse>("crm.contact.note.add", note));
  note.set_body("second");
  ok(call<control::CrmNoteAddResponse>("crm.contact.note.add", note));
  control::CrmNoteListRequest list;
  list.set_contact("carol");
  auto notes = ok(call<control::CrmNoteListResponse>("crm.contact.note.list", list));
  ASSERT_EQ(notes.notes_size(), 2);
  EXPECT_EQ(notes.notes(0).body(), "first");
}

TEST_F(ContactMethodsTest, SetCadenceAndExclusion) {
  h_.person("Bob", "111");
  control::CrmContactSetRequest req;
  req.set_contact("Bob");
  auto nothing = call<control::CrmContactSetResponse>("crm.contact.set", req);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().error.code, Errc::invalid_argument);

  req.set_cadence_days(-2);
  req.set_attention_excluded(true);
  ASSERT_FALSE(call<control::CrmContactSetResponse>("crm.contact.set", req));
  // Nothing of the rejected request was applied.
  EXPECT_EQ(h_.sql("SELECT attention_excluded FROM contacts"), "f");

  req.set_cadence_days(30);
  auto res = ok(call<control::CrmContactSetResponse>("crm.contact.set", req));
  EXPECT_EQ(res.cadence_days(), 30);
  EXPECT_FALSE(res.cadence_is_default());
  EXPECT_TRUE(res.attention_excluded());
  req.set_cadence_days(0);
  req.clear_attention_excluded();
  res = ok(call<control::CrmContactSetResponse>("crm.contact.set", req));
  EXPECT_EQ(res.cadence_days(), 7);
  EXPECT_TRUE(res.cadence_is_default());
  EXPECT_TRUE(res.attention_excluded());
}

TEST_F(ContactMethodsTest, MergeAndUnmergeByName) {
  auto bob = h_.person("Bob Builder", "111");
  auto lid = h_.contact({.jid = "999@lid", .push_name = "Bobby B"});
  h_.in(h_.chat("999@lid", lid), kNow - 1h, "hi from the lid");
  control::CrmMergeRequest merge;
  merge.set_keep("Bob Builder");
  merge.set_fold("Bobby B");
  auto merged = ok(call<control::CrmMergeResponse>("crm.contact.merge", merge));
  EXPECT_EQ(merged.person().id(), bob);
  EXPECT_EQ(merged.addresses_size(), 2);
  // Both names now name Bob; merging again says so.
  auto again = call<control::CrmMergeResponse>("crm.contact.merge", merge);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().error.message.find("already the same person"), std::string::npos);

  control::CrmContactShowRequest show;
  show.set_contact("Bobby");
  EXPECT_EQ(ok(call<control::CrmContactShowResponse>("crm.contact.show", show)).stats().received().all_time(), 1);

  control::CrmUnmergeRequest unmerge;
  unmerge.set_contact("Bobby B");
  auto res = ok(call<control::CrmUnmergeResponse>("crm.contact.unmerge", unmerge));
  EXPECT_EQ(res.restored().id(), lid);
  EXPECT_EQ(res.previous().id(), bob);
  unmerge.set_contact("111");
  auto not_merged = call<control::CrmUnmergeResponse>("crm.contact.unmerge", unmerge);
  ASSERT_FALSE(not_merged);
  EXPECT_EQ(not_merged.error().error.code, Errc::invalid_argument);
}

}  // namespace
}  // namespace wacrm::testing
