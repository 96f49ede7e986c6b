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

}  // namespace
}  // namespace wacrm::ctl
