// Finding people, notes, tags, settings, listing, and merging reversibly
// without half-applied changes.
#include "crm/crm_store_fixture.h"

namespace wacrm::testing {
namespace {

using store::NameMatch;

class ContactsTest : public CrmStoreTest {
 protected:
  std::vector<std::string> names(const std::vector<store::PersonMatch>& matches) {
    std::vector<std::string> out;
    for (const auto& m : matches) out.push_back(m.person.name);
    return out;
  }
  std::int64_t account() const { return h_.account_id(); }
  static std::vector<std::string> tags(std::initializer_list<const char*> list) {
    return std::vector<std::string>(list.begin(), list.end());
  }
};

TEST_F(ContactsTest, FindByAddressFoldsToTheRoot) {
  auto bob = h_.person("Bob", "15551234567");
  auto bob_lid = h_.contact({.jid = "999@lid", .push_name = "Bobby"});
  ASSERT_TRUE(store_.merge(account(), bob, bob_lid));
  for (std::string address : {"15551234567", "15551234567@s.whatsapp.net", "999@lid"}) {
    auto found = ok(store_.find_people_by_address(account(), address));
    ASSERT_EQ(found.size(), 1u) << address;
    EXPECT_EQ(found[0].id, bob) << address;
    EXPECT_EQ(found[0].name, "Bob");
    EXPECT_EQ(found[0].phone, "15551234567");
  }
  EXPECT_TRUE(ok(store_.find_people_by_address(account(), "000")).empty());
}

TEST_F(ContactsTest, NameMatchingExactThenPartialThenSimilar) {
  h_.person("Zoë Martin", "1");
  h_.person("Zoe Martins", "2");
  h_.person("Alice Smith", "3");
  h_.contact({.jid = "4@s.whatsapp.net", .push_name = "Alicia", .phone = "4"});
  h_.group("Book club", "5-6@g.us");

  // Accents and case fold; an exact match wins over the longer partial one.
  auto exact = ok(store_.find_people_by_name(account(), "ZOE MARTIN", 5));
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0].person.name, "Zoë Martin");
  EXPECT_EQ(exact[0].match, NameMatch::exact);

  auto partial = ok(store_.find_people_by_name(account(), "ali", 5));
  EXPECT_EQ(names(partial), (std::vector<std::string>{"Alice Smith", "Alicia"}));
  EXPECT_EQ(partial[0].match, NameMatch::partial);

  auto group = ok(store_.find_people_by_name(account(), "book club", 5));
  ASSERT_EQ(group.size(), 1u);
  EXPECT_TRUE(group[0].person.is_group);

  auto similar = ok(store_.find_people_by_name(account(), "Alise Smyth", 5));
  ASSERT_FALSE(similar.empty());
  EXPECT_EQ(similar[0].person.name, "Alice Smith");
  EXPECT_EQ(similar[0].match, NameMatch::similar);

  EXPECT_TRUE(ok(store_.find_people_by_name(account(), "qqqqqq", 5)).empty());
}

TEST_F(ContactsTest, NotesAreTimestampedEntriesAcrossMergedRows) {
  auto bob = h_.person("Bob", "1");
  auto bob_lid = h_.contact({.jid = "9@lid"});
  ok(store_.add_note(account(), bob_lid, "met at the conference"));
  ok(store_.add_note(account(), bob, "likes climbing"));
  EXPECT_EQ(ok(store_.notes(account(), bob)).size(), 1u);
  ASSERT_TRUE(store_.merge(account(), bob, bob_lid));
  auto notes = ok(store_.notes(account(), bob));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].body, "met at the conference");
  EXPECT_EQ(notes[1].body, "likes climbing");
  EXPECT_LE(notes[0].created_at, notes[1].created_at);

  auto missing = store_.add_note(account(), 424242, "x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_F(ContactsTest, TagsListByTagAndRemoveFromEveryRow) {
  auto bob = h_.person("Bob", "1");
  auto bob_lid = h_.contact({.jid = "9@lid"});
  auto carol = h_.person("Carol", "2");
  ASSERT_TRUE(store_.add_tags(account(), bob_lid, tags({"climbing"})));
  ASSERT_TRUE(store_.merge(account(), bob, bob_lid));
  ASSERT_TRUE(store_.add_tags(account(), bob, tags({"climbing"})));
  ASSERT_TRUE(store_.add_tags(account(), bob, tags({"work"})));
  ASSERT_TRUE(store_.add_tags(account(), carol, tags({"work"})));
  ASSERT_TRUE(store_.add_tags(account(), carol, tags({"work", "work"})));   // twice is fine

  auto work = ok(store_.list_people({account(), std::string("work"), false, 0}));
  ASSERT_EQ(work.size(), 2u);
  EXPECT_EQ(work[0].person.name, "Bob");
  EXPECT_EQ(work[0].tags, (std::vector<std::string>{"climbing", "work"}));
  EXPECT_EQ(work[1].person.name, "Carol");

  EXPECT_EQ(ok(store_.remove_tags(account(), bob, tags({"climbing", "unknown"}))), tags({"climbing"}));
  EXPECT_TRUE(ok(store_.remove_tags(account(), bob, tags({"climbing"}))).empty());
  EXPECT_TRUE(ok(store_.list_people({account(), std::string("climbing"), false, 0})).empty());
  // Gone from the merged row too: unmerging does not bring it back.
  ASSERT_TRUE(store_.unmerge(account(), bob_lid));
  EXPECT_TRUE(ok(store_.list_people({account(), std::string("climbing"), false, 0})).empty());

  // One bad tag: none of them is added.
  auto bad = store_.add_tags(account(), bob, tags({"fine", "two words"}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  EXPECT_TRUE(ok(store_.list_people({account(), std::string("fine"), false, 0})).empty());
}

TEST_F(ContactsTest, ListShowsLastInteractionAndSkipsMergedRowsAndGroups) {
  auto bob = h_.person("Bob", "1");
  auto bob_lid = h_.contact({.jid = "9@lid"});
  h_.group("Family", "1-2@g.us");
  h_.in(h_.chat("9@lid", bob_lid), kNow - 5h);
  ASSERT_TRUE(store_.merge(account(), bob, bob_lid));
  auto all = ok(store_.list_people({account(), std::nullopt, false, 0}));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].last_interaction, kNow - 5h);
  EXPECT_EQ(ok(store_.list_people({account(), std::nullopt, true, 0})).size(), 2u);
}

TEST_F(ContactsTest, SettingsAndProfile) {
  auto bob = h_.person("Bob", "1");
  ASSERT_TRUE(store_.update_settings(account(), bob, {std::optional<int>(3), true}));
  auto p = ok(store_.profile(account(), bob));
  EXPECT_EQ(p.cadence_days, 3);
  EXPECT_TRUE(p.attention_excluded);
  ASSERT_TRUE(store_.update_settings(account(), bob, {std::optional<int>(), std::nullopt}));
  p = ok(store_.profile(account(), bob));
  EXPECT_FALSE(p.cadence_days);
  EXPECT_TRUE(p.attention_excluded);   // untouched
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].jid, "1@s.whatsapp.net");
  EXPECT_TRUE(p.rows[0].is_root);
}

TEST_F(ContactsTest, MergeFlattensAndRefusesWhatItCannotUndo) {
  auto a = h_.person("A", "1");
  auto b = h_.person("B", "2");
  auto c = h_.person("C", "3");
  auto g = h_.group("G", "1-2@g.us");
  ASSERT_TRUE(store_.merge(account(), b, c));       // C -> B
  ASSERT_TRUE(store_.merge(account(), a, b));       // B -> A, and C moves along to A
  auto p = ok(store_.profile(account(), a));
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(ok(store_.find_people_by_address(account(), "3"))[0].id, a);

  auto into_merged = store_.merge(account(), b, a);   // B is merged: not a root
  ASSERT_FALSE(into_merged);
  EXPECT_EQ(into_merged.error().code, Errc::invalid_argument);
  auto group = store_.merge(account(), a, g);
  ASSERT_FALSE(group);
  EXPECT_EQ(group.error().code, Errc::invalid_argument);
  auto self = store_.merge(account(), a, a);
  ASSERT_FALSE(self);

  ASSERT_TRUE(store_.unmerge(account(), c));
  EXPECT_EQ(ok(store_.find_people_by_address(account(), "3"))[0].id, c);
  auto again = store_.unmerge(account(), c);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::invalid_argument);
}

TEST_F(ContactsTest, AMergeFailingHalfWayLeavesNothingChanged) {
  // D has D2 merged into it. merge(E, D) first moves D2 to E, then D itself;
  // a test trigger makes the second step fail. D2 must still be D's.
  auto d = h_.person("D", "4");
  auto d2 = h_.person("D2", "44");
  auto e = h_.person("E", "5");
  ASSERT_TRUE(store_.merge(account(), d, d2));
  h_.sql(R"(CREATE FUNCTION fail_second_step() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'injected failure'; END $$)");
  h_.sql("CREATE TRIGGER fail_second_step BEFORE UPDATE ON contacts FOR EACH ROW WHEN (NEW.id = " +
         std::to_string(d) + ") EXECUTE FUNCTION fail_second_step()");

  auto r = store_.merge(account(), e, d);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("injected failure"), std::string::npos);
  EXPECT_EQ(h_.sql("SELECT merged_into FROM contacts WHERE id = " + std::to_string(d2)), std::to_string(d));
  EXPECT_EQ(h_.sql("SELECT count(*) FROM contacts WHERE merged_into = " + std::to_string(e)), "0");
  // The connection is still usable (the failed transaction was rolled back).
  EXPECT_EQ(h_.sql("SELECT 1"), "1");
}

}  // namespace
}  // namespace wacrm::testing
