// What one account's session is doing, as the daemon shows it (wacrmctl
// status, login progress): connecting / waiting for QR (with the current QR
// and its expiry) / connected since T / reconnecting in Ns after <reason> /
// logged out (reason) / stopped (reason).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "wa/login.h"

namespace wacrm::wa {

struct SessionState {
  using Time = std::chrono::system_clock::time_point;
  enum class Phase {
    idle,            // no session running (not linked, or never started)
    connecting,
    waiting_for_qr,  // linking: the QR is shown, the phone has not scanned yet
    connected,
    reconnecting,    // waiting out a backoff delay
    logged_out,      // unlinked: credentials wiped, no retries
    stopped,         // ended without logging out (replaced, outdated, QR timed out, pairing refused, …)
  };

  Phase phase = Phase::idle;
  Time since{};                 // when this phase began
  std::string reason;           // reconnecting / logged_out / stopped: why
  Time retry_at{};              // reconnecting: the next attempt
  std::string qr;               // waiting_for_qr: the QR string
  Time qr_expires_at{};         // waiting_for_qr: when the server's ref expires
  std::string pairing_code;     // waiting_for_qr when linking by phone number: the code to type (no QR then)
  std::string jid;              // own device JID, once linked
  bool linking = false;         // the session was started to link a new device
  DisconnectKind last_disconnect = DisconnectKind::stopped;  // with reason, what ended the last connection

  // One line for people: "connected since 2026-05-01 10:00:00 UTC",
  // "reconnecting in 12s after connection lost: …", "waiting for QR (expires in 40s)".
  std::string describe(Time now) const;
};

std::string_view phase_name(SessionState::Phase phase);

}  // namespace wacrm::wa
