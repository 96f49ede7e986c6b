// Building the event stream's messages (wacrm.control.DaemonEvent, events.proto)
// and their hub form (events::Event), for whatever publishes or serves them.
#pragma once

#include <string>
#include <string_view>

#include "crm/due_events.h"
#include "events/event_hub.h"

namespace wacrm::control {

class DaemonEvent;

// A DaemonEvent of `type` for `account`, stamped now; the caller fills its kind.
DaemonEvent make_event(std::string_view type, std::string_view account = {});
// The stream's own events ("events.subscribed", "events.dropped").
DaemonEvent stream_event(std::string_view type);
std::string event_frame(const DaemonEvent& event);
// What the hub carries: type and account copied out for filtering.
events::Event hub_event(const DaemonEvent& event);
// The CRM's due reminders and overdue pending replies (crm::collect_due_events).
events::Event hub_event(const crm::DueEvent& due);

}  // namespace wacrm::control
