// The events the CRM raises by itself, for the daemon to publish on its
// event stream (and later as D-Bus signals and desktop notifications).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "crm/crm_settings.h"
#include "store/crm_store.h"

namespace wacrm::crm {

inline constexpr std::string_view kReminderDueEvent = "crm.reminder_due";
inline constexpr std::string_view kPendingOverdueEvent = "crm.pending_overdue";

struct DueEvent {
  std::string type;      // kReminderDueEvent or kPendingOverdueEvent (Event.type)
  std::string account;
  std::string payload;   // a serialized wacrm.control.CrmEvent (Event.payload)
};

// Every account's reminders that fell due by `now` and pending replies that
// have waited longer than settings.pending_overdue_after, each marked in the
// store as it is returned: a reminder raises its event once (again only after
// a snooze), a pending reply once per wait. Call it on a timer (a minute is
// plenty); concurrent callers never both get the same event.
Result<std::vector<DueEvent>> collect_due_events(store::CrmStore& store, store::TimePoint now,
                                                 const CrmSettings& settings);

}  // namespace wacrm::crm
