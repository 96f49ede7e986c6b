// Who is on the other end of a Unix socket (SO_PEERCRED), and whether that
// peer may administer wacrmd: root, or a member of the control group
// (control.group, "wacrm" by default) as primary or supplementary group.
// The kernel fills SO_PEERCRED at connect(), so a client cannot lie about it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "base/error.h"

namespace wacrm::control {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
};

Result<PeerCredentials> peer_credentials(int socket_fd);

// The id of a group by name; nullopt when there is no such group.
std::optional<gid_t> group_id(const std::string& name);

// The user name for uid, or the number as text when it has none.
std::string user_name(uid_t uid);

class AdminPolicy {
 public:
  explicit AdminPolicy(std::string group) : group_(std::move(group)) {}

  // Looks the group up on every call: adding a user to the group takes
  // effect without restarting wacrmd. Blocking NSS calls (see
  // ControlSession::start for why the loop may run them).
  bool is_admin(const PeerCredentials& peer) const;
  // "uid 65534 (nobody) is neither root nor a member of group 'wacrm'".
  std::string refusal(const PeerCredentials& peer) const;
  const std::string& group() const { return group_; }

 private:
  std::string group_;
};

}  // namespace wacrm::control
