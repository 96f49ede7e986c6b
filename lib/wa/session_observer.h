// The daemon's window into a session: state changes (including every new QR
// while linking) and the stanzas the session does not handle itself.
//
// The hook for message handling (the next issue): a stanza nobody handles is
// NOT acknowledged, so the server keeps it and delivers it again at the next
// login — nothing is lost while no handler exists. A handler that takes a
// stanza returns true and acknowledges it itself, after committing what it
// stored (Session::send(ack_for(stanza)), receipts per notes 02 §3).
#pragma once

#include "wa/session_state.h"
#include "wire/node.h"

namespace wacrm::wa {

class Session;

class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  virtual void on_state(Session& session, const SessionState& state) = 0;
  // message, receipt, notification (except pre-key counts), call, presence,
  // chatstate, and server iqs other than pairing and pings. Runs on the loop.
  virtual bool on_stanza(Session& session, const wire::Node& stanza) { return false; }
  // The answer to the groups query sent after each login (wa/group_info.h).
  virtual void on_group_answer(Session& session, const wire::Node& answer) {}
};

}  // namespace wacrm::wa
