#include "base/error.h"

#include <gtest/gtest.h>

namespace wacrm {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(Errc::invalid_argument, "value '" + std::to_string(v) + "' is not positive");
  return v;
}

Result<int> doubled(int v) {
  int x = WACRM_TRY(parse_positive(v));
  return x * 2;
}

TEST(Error, TryPropagatesTheError) {
  auto r = doubled(-3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_EQ(r.error().to_string(), "invalid argument: value '-3' is not positive");
}

TEST(Error, TryYieldsTheValue) {
  auto r = doubled(21);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 42);
}

}  // namespace
}  // namespace wacrm
