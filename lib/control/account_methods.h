// account.add, account.list, account.remove: managing the people who link a
// WhatsApp number to this daemon. All run on the database pool.
#pragma once

#include <cstdint>
#include <functional>

namespace wacrm::control {

class MethodTable;
class PoolRunner;

// Ends the running WhatsApp session of an account about to be removed (it
// closes its connection and does no more store work), then calls `ended`.
// Called on the loop; `ended` runs on the loop. Without a session: `ended` at once.
using EndSession = std::function<void(std::int64_t account_id, std::function<void()> ended)>;

// runner (and whatever end_session refers to) must outlive the table's use.
// account.remove ends the account's session first when end_session is set.
void register_account_methods(MethodTable& table, PoolRunner& runner, EndSession end_session = {});

}  // namespace wacrm::control
