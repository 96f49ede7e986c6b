#include "control/peer_credentials.h"

#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace wacrm::control {
namespace {

TEST(PeerCredentials, TheKernelReportsTheConnectingProcess) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  auto creds = peer_credentials(fds[0]);
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->pid, ::getpid());
  EXPECT_EQ(creds->uid, ::getuid());
  EXPECT_EQ(creds->gid, ::getgid());
}

TEST(AdminPolicy, RootAlwaysAdministers) {
  AdminPolicy policy("no-such-group-wacrm-test");
  EXPECT_TRUE(policy.is_admin(PeerCredentials{1, 0, 0}));
}

TEST(AdminPolicy, OthersNeedTheGroup) {
  // nobody/nogroup exist on every Debian system.
  auto nogroup = group_id("nogroup");
  ASSERT_TRUE(nogroup);
  PeerCredentials nobody{1, 65534, *nogroup};
  EXPECT_FALSE(AdminPolicy("no-such-group-wacrm-test").is_admin(nobody));
  EXPECT_FALSE(AdminPolicy("root").is_admin(nobody));
  EXPECT_TRUE(AdminPolicy("nogroup").is_admin(nobody));
}

TEST(AdminPolicy, SupplementaryGroupsFromTheGroupDatabaseCount) {
  // Debian's postgresql package puts the postgres user in ssl-cert as a
  // supplementary group: a real membership that is not the primary gid.
  passwd* pw = ::getpwnam("postgres");
  auto ssl_cert = group_id("ssl-cert");
  if (!pw || !ssl_cert || pw->pw_gid == *ssl_cert) GTEST_SKIP() << "no postgres user in group ssl-cert here";
  PeerCredentials postgres{1, pw->pw_uid, pw->pw_gid};
  EXPECT_TRUE(AdminPolicy("ssl-cert").is_admin(postgres));
  EXPECT_FALSE(AdminPolicy("no-such-group-wacrm-test").is_admin(postgres));
}

TEST(AdminPolicy, TheRefusalNamesUserAndGroup) {
  AdminPolicy policy("wacrm");
  auto text = policy.refusal(PeerCredentials{1, 65534, 65534});
  EXPECT_NE(text.find("uid 65534 (nobody)"), std::string::npos) << text;
  EXPECT_NE(text.find("group 'wacrm'"), std::string::npos) << text;
}

}  // namespace
}  // namespace wacrm::control
