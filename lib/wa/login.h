// How a connection ends, in the session's terms (protocol notes 01 §7.2,
// §8.1, §8.2): the <success> of a login, and every <failure>, <stream:error>
// and plain close turned into one typed Disconnect that says what to do next
// (retry with backoff, reconnect at once, wipe and stop, or just stop). Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "wire/node.h"

namespace wacrm::wa {

struct LoginSuccess {
  std::int64_t server_time = 0;  // unix seconds (attribute t), 0 if absent
  std::string lid;               // own LID device JID, empty if absent
};
Result<LoginSuccess> parse_success(const wire::Node& success);

enum class DisconnectKind {
  network,             // the socket broke, timed out or went quiet: reconnect with backoff
  server_closed,       // the server ended the stream (stream end, stream error, 5xx): backoff
  login_failed,        // a <failure> worth retrying later (400, 415, 500, 503, …): backoff
  temporarily_banned,  // failure 402: retry once the ban expires
  restart_required,    // stream error 515 (after pairing): reconnect at once
  logged_out,          // 401 / device_removed / 403 / 406: wipe the credentials, stop
  replaced,            // another connection took over: report, do not fight
  client_outdated,     // failure 405: stop until the version is fixed
  bad_user_agent,      // failure 409: stop
  pairing_timed_out,   // every QR ref expired unscanned
  pairing_refused,     // pair-success failed verification, or could not be stored
  connect_failed,      // no connection could be made while linking (bad certificate, …)
  stopped,             // we ended it (stop, logout)
};

std::string_view disconnect_kind_name(DisconnectKind kind);

struct Disconnect {
  DisconnectKind kind = DisconnectKind::network;
  std::string reason;  // for people: "logged out from the phone (stream error 401 device_removed)"
  std::optional<std::chrono::seconds> retry_after;  // temporarily_banned: the ban's expiry

  // Retried by the session's loop (with or without backoff).
  bool retries() const;
  // Ends the link: credentials are wiped.
  bool logs_out() const { return kind == DisconnectKind::logged_out; }
};

// <failure reason="N" …/>, the server's answer to a login instead of <success>.
Disconnect classify_failure(const wire::Node& failure);
// <stream:error code=…><child/></stream:error>, sent mid-session before the server closes.
Disconnect classify_stream_error(const wire::Node& stream_error);

}  // namespace wacrm::wa
