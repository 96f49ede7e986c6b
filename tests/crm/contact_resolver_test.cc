// Naming contacts: JIDs, phone numbers, names, unknown names with
// suggestions, ambiguous names with candidates that can be passed back.
#include "crm/contact_resolver.h"

#include "crm/crm_api_fixture.h"

namespace wacrm::testing {
namespace {

class ResolverTest : public CrmApiTest {
 protected:
  void SetUp() override {
    alice_ = h_.person("Alice Smith", "15551234567");
    alicia_ = h_.person("Alicia Keys", "15559876543");
    bob1_ = h_.person("Bob", "4915112345678");
    bob2_ = h_.person("Bob", "4915187654321");
    h_.group("Book club", "120363-456@g.us");
  }
  crm::ContactResolver resolver() { return crm::ContactResolver(store_, h_.account_id()); }

  std::int64_t alice_ = 0, alicia_ = 0, bob1_ = 0, bob2_ = 0;
};

TEST_F(ResolverTest, JidPhoneAndName) {
  EXPECT_EQ(resolver().person("15551234567@s.whatsapp.net")->id, alice_);
  EXPECT_EQ(resolver().person("+1 (555) 123-4567")->id, alice_);
  EXPECT_EQ(resolver().person("15551234567")->id, alice_);
  EXPECT_EQ(resolver().person("alice smith")->id, alice_);
  EXPECT_EQ(resolver().person("  Alice Smith ")->id, alice_);
  EXPECT_EQ(resolver().person("smith")->id, alice_);   // a unique partial match
  EXPECT_TRUE(resolver().person("book club")->is_group);
}

TEST_F(ResolverTest, UnknownNameSuggestsSimilarOnes) {
  auto r = resolver().person("Alise Smith");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, Errc::not_found);
  ASSERT_FALSE(r.error().suggestions.empty());
  EXPECT_EQ(r.error().suggestions[0], "Alice Smith (15551234567@s.whatsapp.net)");
  EXPECT_NE(r.error().error.message.find("did you mean Alice Smith"), std::string::npos);

  auto none = resolver().person("Zebediah");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().error.code, Errc::not_found);
  EXPECT_TRUE(none.error().suggestions.empty());
  EXPECT_NE(none.error().error.message.find("'Zebediah'"), std::string::npos);

  auto number = resolver().person("+44 20 7946 0000");
  ASSERT_FALSE(number);
  EXPECT_EQ(number.error().error.code, Errc::not_found);
}

TEST_F(ResolverTest, AmbiguousNameListsCandidatesThatResolveWhenPassedBack) {
  auto r = resolver().person("bob");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, Errc::invalid_argument);
  ASSERT_EQ(r.error().suggestions.size(), 2u);
  EXPECT_NE(r.error().error.message.find("matches 2 contacts"), std::string::npos);
  auto picked = resolver().person(r.error().suggestions[1]);
  ASSERT_TRUE(picked);
  EXPECT_TRUE(picked->id == bob1_ || picked->id == bob2_);
  EXPECT_NE(picked->jid, resolver().person(r.error().suggestions[0])->jid);

  auto partial = resolver().person("ali");   // Alice Smith and Alicia Keys
  ASSERT_FALSE(partial);
  EXPECT_EQ(partial.error().suggestions.size(), 2u);
}

TEST_F(ResolverTest, EmptyIsInvalid) {
  auto r = resolver().person("   ");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, Errc::invalid_argument);
}

TEST_F(ResolverTest, UnknownNameThroughTheApiCarriesSuggestions) {
  control::CrmNoteAddRequest req;
  req.set_contact("Alise Smith");
  req.set_body("x");
  auto r = call<control::CrmNoteAddResponse>("crm.contact.note.add", req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, Errc::not_found);
  EXPECT_EQ(r.error().suggestions.at(0), "Alice Smith (15551234567@s.whatsapp.net)");
  EXPECT_EQ(h_.sql("SELECT count(*) FROM contact_notes"), "0");
}

}  // namespace
}  // namespace wacrm::testing
