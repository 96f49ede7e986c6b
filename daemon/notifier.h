// sd_notify(3) for wacrmd: READY=1, STATUS=, STOPPING=1 and the watchdog.
// Without systemd (no NOTIFY_SOCKET) every call does nothing.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <string>

namespace boost::asio {
class io_context;
}

namespace wacrm::daemon {

class Notifier {
 public:
  explicit Notifier(boost::asio::io_context& io);

  void status(const std::string& text);
  void ready(const std::string& status_text);
  void stopping(const std::string& status_text);

  // With WatchdogSec= set (sd_watchdog_enabled), sends WATCHDOG=1 at half
  // the interval from the loop, so a wedged loop is noticed and restarted.
  void start_watchdog();
  void stop_watchdog();

 private:
  void schedule_ping();

  boost::asio::steady_timer timer_;
  std::chrono::microseconds interval_{0};
};

}  // namespace wacrm::daemon
