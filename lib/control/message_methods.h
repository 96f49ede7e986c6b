// message.list, chat.list, contact.list: reading what the daemon received
// (proto/control/messages.proto), on the database pool. Contact names are
// resolved by the CRM's resolver (crm/contact_resolver.h), so `--contact`
// accepts what every crm.* method accepts and fails with the same suggestions.
#pragma once

namespace wacrm::control {

class MethodTable;
class PoolRunner;

// runner must outlive the table's use.
void register_message_methods(MethodTable& table, PoolRunner& runner);

}  // namespace wacrm::control
