// account.add, account.list, account.remove: managing the people who link a
// WhatsApp number to this daemon. All run on the database pool.
#pragma once

namespace wacrm::control {

class MethodTable;
class PoolRunner;

// runner must outlive the table's use.
void register_account_methods(MethodTable& table, PoolRunner& runner);

}  // namespace wacrm::control
