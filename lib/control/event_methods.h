// "events.subscribe": the daemon's event stream (lib/events) on the control
// socket. The request stays open; every event goes out as a partial answer
// (Response.more) carrying a wacrm.control.DaemonEvent, until the client goes away
// or the hub closes (wacrmd stopping: then the final, empty answer).
#pragma once

#include <boost/asio/any_io_executor.hpp>

namespace wacrm::events {
class EventHub;
}

namespace wacrm::control {

class MethodTable;

// hub must outlive the table's use; subscriptions are served on `loop`.
void register_event_methods(MethodTable& table, events::EventHub& hub, boost::asio::any_io_executor loop);

}  // namespace wacrm::control
