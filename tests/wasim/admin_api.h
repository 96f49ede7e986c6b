// The admin API (README "Admin API"): a table of method + path pattern ->
// handler over World. Handlers validate, act and answer JSON; errors are
// mapped once here from Errc to HTTP status.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "wasim/admin_http.h"

namespace wacrm::wasim {

class World;

class AdminApi {
 public:
  AdminApi(World& world, std::function<void()> shutdown) : world_(world), shutdown_(std::move(shutdown)) {}

  void handle(const AdminRequest& request, AdminReply reply);

  static AdminResponse error_response(const Error& error);

 private:
  using Params = std::vector<std::string>;  // the {…} segments of the path, in order
  using Handler = void (AdminApi::*)(const AdminRequest&, const Params&, AdminReply&);
  struct Route {
    const char* method;
    const char* pattern;
    Handler handler;
  };
  static const Route kRoutes[];

  void status(const AdminRequest&, const Params&, AdminReply&);
  void list_accounts(const AdminRequest&, const Params&, AdminReply&);
  void create_account(const AdminRequest&, const Params&, AdminReply&);
  void get_account(const AdminRequest&, const Params&, AdminReply&);
  void connections(const AdminRequest&, const Params&, AdminReply&);
  void scan(const AdminRequest&, const Params&, AdminReply&);
  void enter_code(const AdminRequest&, const Params&, AdminReply&);
  void send(const AdminRequest&, const Params&, AdminReply&);
  void bulk_send(const AdminRequest&, const Params&, AdminReply&);
  void play(const AdminRequest&, const Params&, AdminReply&);
  void list_groups(const AdminRequest&, const Params&, AdminReply&);
  void create_group(const AdminRequest&, const Params&, AdminReply&);
  void corrupt_next(const AdminRequest&, const Params&, AdminReply&);
  void events(const AdminRequest&, const Params&, AdminReply&);
  void drop(const AdminRequest&, const Params&, AdminReply&);
  void unlink(const AdminRequest&, const Params&, AdminReply&);
  void silence(const AdminRequest&, const Params&, AdminReply&);
  void prekeys_low(const AdminRequest&, const Params&, AdminReply&);
  void fail_login(const AdminRequest&, const Params&, AdminReply&);
  void get_faults(const AdminRequest&, const Params&, AdminReply&);
  void set_faults(const AdminRequest&, const Params&, AdminReply&);
  void clear_faults(const AdminRequest&, const Params&, AdminReply&);
  void shutdown(const AdminRequest&, const Params&, AdminReply&);

  World& world_;
  std::function<void()> shutdown_;
};

}  // namespace wacrm::wasim
