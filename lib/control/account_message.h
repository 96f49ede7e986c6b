// store::Account -> wacrm.control.Account (proto/control/daemon.proto).
#pragma once

#include "store/account_repository.h"

namespace wacrm::control {

class Account;

void fill_account(const store::Account& account, Account& out);

}  // namespace wacrm::control
