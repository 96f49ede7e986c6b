#include "crm/due_events.h"

#include "control/crm.pb.h"
#include "crm/crm_proto.h"

namespace wacrm::crm {

Result<std::vector<DueEvent>> collect_due_events(store::CrmStore& store, store::TimePoint now,
                                                 const CrmSettings& settings) {
  std::vector<DueEvent> events;
  for (auto& due : WACRM_TRY(store.claim_due_reminders(now))) {
    control::CrmEvent event;
    event.set_account(due.account);
    to_proto(now, event.mutable_raised_at());
    to_proto(due.reminder, event.mutable_reminder_due());
    events.push_back({std::string(kReminderDueEvent), due.account, event.SerializeAsString()});
  }
  for (auto& overdue : WACRM_TRY(store.claim_overdue_pending(now, settings.pending_overdue_after))) {
    control::CrmEvent event;
    event.set_account(overdue.account);
    to_proto(now, event.mutable_raised_at());
    to_proto(overdue.pending, now, event.mutable_pending_overdue());
    events.push_back({std::string(kPendingOverdueEvent), overdue.account, event.SerializeAsString()});
  }
  return events;
}

}  // namespace wacrm::crm
