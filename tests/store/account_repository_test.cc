#include "store/account_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wacrm::store {
namespace {

using ::testing::HasSubstr;

TEST(LinkState, NamesRoundTrip) {
  for (auto state : {LinkState::unlinked, LinkState::linked, LinkState::logged_out})
    EXPECT_EQ(parse_link_state(link_state_name(state)).value(), state);
  EXPECT_EQ(link_state_name(LinkState::logged_out), "logged_out");
  auto bad = parse_link_state("paired");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
}

TEST(AccountName, AcceptsTheDocumentedCharacters) {
  for (const std::string& ok : std::vector<std::string>{"a", "Z", "7", "alice", "Bob.Smith-2_x", "a-", "a.", std::string(64, 'x')})
    EXPECT_TRUE(validate_account_name(ok)) << ok;
}

TEST(AccountName, RejectsOthersSayingWhatIsAllowed) {
  for (const std::string& bad :
       std::vector<std::string>{"", "-a", ".a", "_a", "a b", "a/b", "ali'ce", "é", "a\n", std::string(65, 'x')}) {
    auto r = validate_account_name(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_THAT(r.error().message, HasSubstr("'" + bad + "'"));
    EXPECT_THAT(r.error().message, HasSubstr("letters, digits, '_', '.' and '-'"));
  }
}

}  // namespace
}  // namespace wacrm::store
