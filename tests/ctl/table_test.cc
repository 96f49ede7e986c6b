#include "table.h"

#include <sstream>

#include <gtest/gtest.h>

namespace wacrm::ctl {
namespace {

TEST(Table, AlignsColumnsToTheWidestCell) {
  Table table({"NAME", "STATE"});
  table.add_row({"alice", "linked"});
  table.add_row({"bo", "unlinked"});
  std::ostringstream out;
  table.print(out);
  EXPECT_EQ(out.str(),
            "NAME   STATE\n"
            "alice  linked\n"
            "bo     unlinked\n");
}

TEST(Table, CountsCharactersNotBytes) {
  Table table({"NAME", "X"});
  table.add_row({"Zoë", "1"});
  table.add_row({"Jo", "2"});
  std::ostringstream out;
  table.print(out);
  EXPECT_EQ(out.str(),
            "NAME  X\n"
            "Zoë   1\n"
            "Jo    2\n");
}

// A push name is whatever the other person typed: an escape sequence in it
// must not reach the terminal, and a line break must not break the table.
TEST(Table, KeepsControlCharactersAwayFromTheTerminal) {
  Table table({"NAME", "X"});
  table.add_row({"\x1b]0;owned\x07" "Eve", "1"});
  table.add_row({"two\nlines", "\xC2\x9B" "2J"});
  std::ostringstream out;
  table.print(out);
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find('\x07'), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("\xC2\x9B"), std::string::npos) << out.str();
  EXPECT_EQ(out.str(),
            "NAME           X\n"
            "\xEF\xBF\xBD]0;owned\xEF\xBF\xBD" "Eve  1\n"
            "two lines      \xEF\xBF\xBD" "2J\n");
}

}  // namespace
}  // namespace wacrm::ctl
