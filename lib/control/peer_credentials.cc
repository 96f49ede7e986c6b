#include "control/peer_credentials.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace wacrm::control {
std::optional<gid_t> group_id(const std::string& name) {
  std::vector<char> buf(16384);
  group grp{};
  group* found = nullptr;
  if (name.empty() || ::getgrnam_r(name.c_str(), &grp, buf.data(), buf.size(), &found) != 0 || !found)
    return std::nullopt;
  return found->gr_gid;
}

namespace {

// The groups uid belongs to per the user and group databases (not the
// peer's process, which the kernel does not tell us): primary + supplementary.
std::vector<gid_t> groups_of(uid_t uid, gid_t primary) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || !found) return {primary};
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  while (::getgrouplist(found->pw_name, primary, groups.data(), &count) < 0) {
    groups.resize(static_cast<std::size_t>(count) * 2);
    count = static_cast<int>(groups.size());
  }
  groups.resize(static_cast<std::size_t>(count));
  return groups;
}

}  // namespace

Result<PeerCredentials> peer_credentials(int socket_fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(socket_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    return make_error(Errc::internal, std::string("SO_PEERCRED: ") + std::strerror(errno));
  return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

std::string user_name(uid_t uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found) return found->pw_name;
  return std::to_string(uid);
}

bool AdminPolicy::is_admin(const PeerCredentials& peer) const {
  if (peer.uid == 0) return true;
  auto gid = group_id(group_);
  if (!gid) return false;
  if (peer.gid == *gid) return true;
  auto groups = groups_of(peer.uid, peer.gid);
  return std::find(groups.begin(), groups.end(), *gid) != groups.end();
}

std::string AdminPolicy::refusal(const PeerCredentials& peer) const {
  return "uid " + std::to_string(peer.uid) + " (" + user_name(peer.uid) + ") is neither root nor a member of group '" +
         group_ + "'";
}

}  // namespace wacrm::control
