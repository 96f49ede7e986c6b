// A companion's login (protocol notes 01 §7, 03 §5 (d), §10.3): <success>,
// replacing an older connection of the same device, offline delivery once the
// client is active, and the <ib><offline count/> that ends it -- held while
// the phone's app-state key share is unconfirmed, plus a short pause (03 §0
// trap 1).
#pragma once

#include <chrono>
#include <optional>

#include "wasim/client_payload_check.h"
#include "wasim/session.h"

namespace wacrm::wasim {

class World;

class Login {
 public:
  explicit Login(World& world) : world_(world) {}

  void start(Session& session, const PayloadDecision& decision);
  // <iq xmlns="passive"><active/></iq>: begin offline delivery.
  void on_active(Session& session);
  // A stanza of the device was confirmed; key_share: it was the key share.
  void on_confirmed(Session& session, bool key_share);
  // After a pre-key upload: the phone shares its app-state key once.
  void after_pre_key_upload(Session& session);

 private:
  void maybe_end_offline(Session& session);

  World& world_;
};

}  // namespace wacrm::wasim
