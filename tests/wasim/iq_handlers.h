// Every iq a client may send, as one table (xmlns, type, first child ->
// handler), each answered the way the real server answers it (README "Login"
// table). Unknown iqs get <error code="501" text="feature-not-implemented"/>;
// a client that is still registering may only ping.
#pragma once

#include <string_view>
#include <vector>

#include "wasim/session.h"
#include "wire/node.h"

namespace wacrm::wasim {

class World;

class IqHandlers {
 public:
  explicit IqHandlers(World& world);

  // An iq of type get/set: answers it (and logs an "iq" event).
  void on_iq(Session& session, const wire::Node& iq);

 private:
  using Handler = wire::Node (IqHandlers::*)(Session&, const wire::Node& iq);
  struct Route {
    std::string_view xmlns;
    std::string_view type;
    std::string_view child;  // "" = any
    Handler handler;
    bool before_login;       // allowed while registering
  };

  wire::Node ping(Session&, const wire::Node& iq);
  wire::Node pre_key_count(Session&, const wire::Node& iq);
  wire::Node pre_key_upload(Session&, const wire::Node& iq);
  wire::Node pre_key_digest(Session&, const wire::Node& iq);
  wire::Node key_fetch(Session&, const wire::Node& iq);
  wire::Node passive(Session&, const wire::Node& iq);
  wire::Node abt_props(Session&, const wire::Node& iq);
  wire::Node web_props(Session&, const wire::Node& iq);
  wire::Node blocklist(Session&, const wire::Node& iq);
  wire::Node privacy_get(Session&, const wire::Node& iq);
  wire::Node plain_result(Session&, const wire::Node& iq);
  wire::Node usync(Session&, const wire::Node& iq);
  wire::Node app_state_sync(Session&, const wire::Node& iq);
  wire::Node groups(Session&, const wire::Node& iq);
  wire::Node group_metadata(Session&, const wire::Node& iq);
  wire::Node no_picture(Session&, const wire::Node& iq);
  wire::Node remove_companion(Session&, const wire::Node& iq);
  wire::Node link_code_companion_reg(Session&, const wire::Node& iq);

  Companion* companion_of(Session& session);

  World& world_;
  std::vector<Route> routes_;
};

}  // namespace wacrm::wasim
