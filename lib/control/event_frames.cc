#include "control/event_frames.h"

#include <chrono>

#include "control/crm.pb.h"
#include "control/events.pb.h"

namespace wacrm::control {

DaemonEvent make_event(std::string_view type, std::string_view account) {
  DaemonEvent event;
  event.set_type(std::string(type));
  event.set_account(std::string(account));
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  event.mutable_at()->set_seconds(us / 1'000'000);
  event.mutable_at()->set_nanos(static_cast<std::int32_t>(us % 1'000'000) * 1000);
  return event;
}

DaemonEvent stream_event(std::string_view type) { return make_event(type); }

std::string event_frame(const DaemonEvent& event) { return event.SerializeAsString(); }

events::Event hub_event(const DaemonEvent& event) { return {event.type(), event.account(), event_frame(event)}; }

events::Event hub_event(const crm::DueEvent& due) {
  DaemonEvent event = make_event(due.type, due.account);
  // A payload that does not parse would be our own bug; the event still says what happened.
  (void)event.mutable_crm()->ParseFromString(due.payload);
  if (event.crm().has_raised_at()) *event.mutable_at() = event.crm().raised_at();
  return hub_event(event);
}

}  // namespace wacrm::control
