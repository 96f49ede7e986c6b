#include "wa/session_state.h"

#include <ctime>

namespace wacrm::wa {

namespace {

long long seconds_until(SessionState::Time when, SessionState::Time now) {
  auto left = std::chrono::duration_cast<std::chrono::seconds>(when - now).count();
  return left > 0 ? left : 0;
}

std::string utc(SessionState::Time t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

}  // namespace

std::string_view phase_name(SessionState::Phase phase) {
  switch (phase) {
    case SessionState::Phase::idle: return "idle";
    case SessionState::Phase::connecting: return "connecting";
    case SessionState::Phase::waiting_for_qr: return "waiting_for_qr";
    case SessionState::Phase::connected: return "connected";
    case SessionState::Phase::reconnecting: return "reconnecting";
    case SessionState::Phase::logged_out: return "logged_out";
    case SessionState::Phase::stopped: return "stopped";
  }
  return "unknown";
}

std::string SessionState::describe(Time now) const {
  switch (phase) {
    case Phase::idle: return "not connected";
    case Phase::connecting: return "connecting";
    case Phase::waiting_for_qr:
      if (!pairing_code.empty())
        return "waiting for the pairing code to be typed on the phone (expires in " +
               std::to_string(seconds_until(qr_expires_at, now)) + "s)";
      return "waiting for QR scan (expires in " + std::to_string(seconds_until(qr_expires_at, now)) + "s)";
    case Phase::connected: return "connected since " + utc(since);
    case Phase::reconnecting:
      return "reconnecting in " + std::to_string(seconds_until(retry_at, now)) + "s after " + reason;
    case Phase::logged_out: return "logged out (" + reason + ")";
    case Phase::stopped: return "stopped (" + reason + ")";
  }
  return "unknown";
}

}  // namespace wacrm::wa
