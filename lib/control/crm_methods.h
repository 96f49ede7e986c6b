// The personal CRM's "crm.*" methods on the control socket: every row of
// lib/crm's method table (crm::crm_methods()) becomes a Method here, run on
// the database pool with a PgCrmStore on the pool's connection.
#pragma once

#include "crm/crm_settings.h"

namespace wacrm::control {

class MethodTable;
class PoolRunner;

// runner must outlive the table's use; the settings are kept.
void register_crm_methods(MethodTable& table, PoolRunner& runner, crm::CrmSettings settings);

}  // namespace wacrm::control
