#include "wasim/state_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "signal/context.h"
#include "wasim/directory.h"

namespace wacrm::wasim {
namespace {

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("wasim-state-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StateFileTest, AMissingFileIsNoState) {
  auto state = load_state(dir_ / "absent.json");
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->has_value());
}

TEST_F(StateFileTest, RoundTripsKeysAccountsAndCompanions) {
  auto context = signal::Context::create();
  ASSERT_TRUE(context);
  Directory directory;
  auto account = directory.create({"15550001111", "Alice", "", "Alice & Co", {{"15550002222", "Bob"}}}, *context);
  ASSERT_TRUE(account) << account.error().to_string();
  Companion companion;
  companion.device = 3;
  companion.key_index = 2;
  companion.registration_id = 4242;
  companion.identity_key = Bytes(32, 7);
  companion.noise_key = Bytes(32, 8);
  companion.adv_identity = Bytes{1, 2, 3};
  companion.platform = "Ubuntu/CHROME";
  companion.signed_pre_key = {1, Bytes(32, 9), Bytes(64, 10)};
  companion.pre_keys[5] = Bytes(32, 11);
  companion.key_share_sent = true;
  (*account)->companions[3] = companion;
  (*account)->next_device = 4;

  State state;
  state.server_keys = {Bytes(32, 1), Bytes(32, 2), Bytes(32, 3)};
  state.accounts.push_back(**account);
  auto file = dir_ / "state.json";
  ASSERT_TRUE(save_state(file, state));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "state.json.tmp"));

  auto loaded = load_state(file);
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  ASSERT_TRUE(loaded->has_value());
  const State& back = **loaded;
  EXPECT_EQ(back.server_keys.static_private, Bytes(32, 3));
  ASSERT_EQ(back.accounts.size(), 1u);
  const Account& a = back.accounts[0];
  EXPECT_EQ(a.phone, "15550001111");
  EXPECT_EQ(a.lid, (*account)->lid);
  EXPECT_EQ(a.business_name, "Alice & Co");
  EXPECT_EQ(a.phone_keys.identity.identity_private, (*account)->phone_keys.identity.identity_private);
  EXPECT_EQ(a.phone_keys.pre_keys.size(), (*account)->phone_keys.pre_keys.size());
  EXPECT_EQ(a.next_device, 4);
  ASSERT_EQ(a.companions.count(3), 1u);
  const Companion& c = a.companions.at(3);
  EXPECT_EQ(c.noise_key, Bytes(32, 8));
  EXPECT_EQ(c.signed_pre_key.signature, Bytes(64, 10));
  EXPECT_EQ(c.pre_keys.at(5), Bytes(32, 11));
  EXPECT_TRUE(c.key_share_sent);
}

TEST_F(StateFileTest, RefusesGarbage) {
  auto file = dir_ / "bad.json";
  std::ofstream(file) << "{not json";
  EXPECT_FALSE(load_state(file));
  std::ofstream(file, std::ios::trunc) << R"({"format": 1, "server_keys": {}})";
  EXPECT_FALSE(load_state(file));
}

TEST(Directory, CreatesAccountsWithKeysAndResolvesJids) {
  auto context = signal::Context::create();
  ASSERT_TRUE(context);
  Directory directory;
  auto alice = directory.create({"15550001111", "Alice", "", "", {}}, *context);
  ASSERT_TRUE(alice);
  EXPECT_EQ((*alice)->lid.size(), 15u);
  EXPECT_EQ((*alice)->lid, derived_lid("15550001111"));
  EXPECT_EQ((*alice)->phone_keys.identity.identity_public.size(), 32u);
  EXPECT_GE((*alice)->phone_keys.pre_keys.size(), 20u);
  EXPECT_FALSE(directory.create({"15550001111", "", "", "", {}}, *context));  // taken
  EXPECT_FALSE(directory.create({"12a4567", "", "", "", {}}, *context));
  EXPECT_FALSE(directory.create({"15550003333", "", (*alice)->lid, "", {}}, *context));  // LID taken

  (*alice)->companions[2].device = 2;
  EXPECT_TRUE(directory.device(*wire::Jid::parse("15550001111@s.whatsapp.net")));
  EXPECT_TRUE(directory.device(*wire::Jid::parse("15550001111:2@s.whatsapp.net")));
  EXPECT_TRUE(directory.device(*wire::Jid::parse((*alice)->lid + ":2@lid")));
  EXPECT_FALSE(directory.device(*wire::Jid::parse("15550001111:3@s.whatsapp.net")));
  EXPECT_FALSE(directory.device(*wire::Jid::parse("15559999999@s.whatsapp.net")));
}

}  // namespace
}  // namespace wacrm::wasim
