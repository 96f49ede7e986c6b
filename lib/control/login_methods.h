// login, logout: linking a WhatsApp account to the daemon and unlinking it.
// The methods parse, validate and stream; the WhatsApp work is the daemon's
// session manager's, reached through LinkService (so lib/control does not
// depend on lib/wa).
#pragma once

#include <functional>
#include <string>

#include "base/error.h"

namespace wacrm::control {

class MethodTable;
class LoginUpdate;
class LogoutResponse;

class LinkService {
 public:
  virtual ~LinkService() = default;

  struct LoginStream {
    std::function<void(const LoginUpdate&)> update;   // every state change, QR included
    std::function<void(Result<LoginUpdate>)> finish;  // once: linked and connected, or why not
  };
  // Starts linking `account` (validated name): by QR, or with `phone` (as the
  // user typed it; empty for QR) by pairing code. Errc::not_found for an
  // unknown account, Errc::already_exists when it is linked already. Called
  // and answering on the loop.
  virtual void login(const std::string& account, const std::string& phone, LoginStream stream) = 0;
  // Unlinks `account`: Errc::not_found, Errc::invalid_argument when it is not linked.
  virtual void logout(const std::string& account, std::function<void(Result<LogoutResponse>)> done) = 0;
};

// service must outlive the table's use.
void register_login_methods(MethodTable& table, LinkService& service);

}  // namespace wacrm::control
