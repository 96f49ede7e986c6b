#include "notifier.h"

#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>

namespace wacrm::daemon {

Notifier::Notifier(boost::asio::io_context& io) : timer_(io) {}

void Notifier::status(const std::string& text) { sd_notify(0, ("STATUS=" + text).c_str()); }

void Notifier::ready(const std::string& status_text) {
  sd_notify(0, ("READY=1\nSTATUS=" + status_text).c_str());
}

void Notifier::stopping(const std::string& status_text) {
  sd_notify(0, ("STOPPING=1\nSTATUS=" + status_text).c_str());
}

void Notifier::start_watchdog() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
  interval_ = std::chrono::microseconds(usec / 2);
  sd_notify(0, "WATCHDOG=1");
  schedule_ping();
}

void Notifier::stop_watchdog() {
  interval_ = std::chrono::microseconds(0);
  timer_.cancel();
}

void Notifier::schedule_ping() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || interval_.count() == 0) return;
    sd_notify(0, "WATCHDOG=1");
    schedule_ping();
  });
}

}  // namespace wacrm::daemon
