#include "wasim/faults.h"

#include <gtest/gtest.h>

namespace wacrm::wasim {
namespace {

TEST(Faults, AFaultArmedOnceIsUsedOnce) {
  Faults faults;
  ASSERT_TRUE(faults.arm({{"cert_chain", "wrong_root"}}));
  EXPECT_EQ(faults.to_json()["cert_chain"]["fault"], "wrong_root");
  EXPECT_EQ(faults.take_cert_fault(), CertFault::wrong_root);
  EXPECT_FALSE(faults.take_cert_fault());
  EXPECT_TRUE(faults.to_json().empty());
}

TEST(Faults, CountsAndUnlimitedUntilCleared) {
  Faults faults;
  ASSERT_TRUE(faults.arm({{"account_signature", "bad"}, {"signed_pre_key_signature", "bad"}, {"times", 2}}));
  EXPECT_TRUE(faults.take_bad_account_signature());
  EXPECT_TRUE(faults.take_bad_account_signature());
  EXPECT_FALSE(faults.take_bad_account_signature());
  EXPECT_TRUE(faults.take_bad_signed_pre_key_signature());
  ASSERT_TRUE(faults.arm({{"cert_chain", "expired"}, {"times", -1}}));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(faults.take_cert_fault(), CertFault::expired);
  faults.clear();
  EXPECT_FALSE(faults.take_cert_fault());
  EXPECT_FALSE(faults.take_bad_signed_pre_key_signature());
}

TEST(Faults, RefusesUnknownFaultsAndBadCounts) {
  Faults faults;
  EXPECT_FALSE(faults.arm({{"cert_chain", "sloppy"}}));
  EXPECT_FALSE(faults.arm({{"account_signature", "good"}}));
  EXPECT_FALSE(faults.arm({{"cert_chain", "expired"}, {"times", 0}}));
  EXPECT_FALSE(faults.arm(nlohmann::json::object()));
  EXPECT_FALSE(faults.arm(nlohmann::json::array()));
  EXPECT_FALSE(faults.take_cert_fault());
}

}  // namespace
}  // namespace wacrm::wasim
