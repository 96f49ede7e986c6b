// What raises the daemon's events (lib/events' hub, served by events.subscribe):
// the CRM's due reminders and overdue pending replies, looked for on a timer
// (crm.due-check-interval); the messages the receivers stored, after their
// commit; and the WhatsApp sessions' state changes. Wiring only: the CRM
// decides what is due, the hub fans out. Lives on the daemon's loop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "crm/crm_settings.h"
#include "events/event_hub.h"
#include "wa/message_handler.h"

namespace wacrm::control {
class LoginUpdate;
class PoolRunner;
}  // namespace wacrm::control

namespace wacrm::daemon {

class EventSources {
 public:
  EventSources(boost::asio::io_context& io, control::PoolRunner& runner, events::EventHub& hub,
               crm::CrmSettings settings, std::chrono::seconds due_interval);

  // Looks for due events now and then every due_interval.
  void start();
  void stop();

  // A receiver's event: new messages become "message.stored" (others are not published).
  void message(const std::string& account, const wa::MessageEvent& event);
  // A session's new state, as login reports it ("session.state"; QR and pairing codes left out).
  void session_state(const control::LoginUpdate& update);

 private:
  void check_due();
  void schedule_due_check();
  void publish_messages();

  struct StoredMessage {
    std::string account;
    wa::MessageEvent event;
  };

  control::PoolRunner& runner_;
  events::EventHub& hub_;
  const crm::CrmSettings settings_;
  const std::chrono::seconds due_interval_;
  boost::asio::steady_timer due_timer_;
  bool stopped_ = true;
  bool checking_ = false;
  // Stored messages waiting for their previews (one query per loop turn's worth).
  std::vector<StoredMessage> stored_;
};

}  // namespace wacrm::daemon
