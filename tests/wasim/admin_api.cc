#include "wasim/admin_api.h"

#include <algorithm>
#include <memory>

#include <boost/asio/steady_timer.hpp>

#include "wasim/account_json.h"
#include "wasim/client_faults.h"
#include "wasim/bulk_send.h"
#include "wasim/groups.h"
#include "wasim/pairing.h"
#include "wasim/retry.h"
#include "wasim/simulated_people.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

constexpr std::chrono::milliseconds kDefaultScanTimeout{15000};
constexpr std::int64_t kMaxWaitMs = 600000;

int http_status(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
    case Errc::malformed:
    case Errc::unsupported: return 400;
    case Errc::not_found: return 404;
    case Errc::timeout: return 408;
    case Errc::already_exists:
    case Errc::conflict: return 409;
    default: return 500;
  }
}

// Splits "/v1/a/b" into segments; matches "{x}" segments as parameters.
bool match(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  while (true) {
    auto p_slash = pattern.find('/', 1);
    auto s_slash = path.find('/', 1);
    std::string_view p_seg = pattern.substr(0, p_slash), s_seg = path.substr(0, s_slash);
    if (p_seg.size() > 2 && p_seg[1] == '{') {
      if (s_seg.size() < 2) return false;
      params.emplace_back(s_seg.substr(1));
    } else if (p_seg != s_seg) {
      return false;
    }
    if (p_slash == std::string_view::npos || s_slash == std::string_view::npos)
      return p_slash == std::string_view::npos && s_slash == std::string_view::npos;
    pattern.remove_prefix(p_slash);
    path.remove_prefix(s_slash);
  }
}

void answer(AdminReply& reply, Result<Json> result, int ok_status = 200) {
  if (result) reply({ok_status, std::move(*result)});
  else reply(AdminApi::error_response(result.error()));
}

Result<std::int64_t> query_int(const AdminRequest& request, const char* key, std::int64_t fallback) {
  auto it = request.query.find(key);
  if (it == request.query.end()) return fallback;
  try {
    std::size_t used = 0;
    std::int64_t value = std::stoll(it->second, &used);
    if (used == it->second.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  return make_error(Errc::invalid_argument, std::string("'") + key + "' is not a non-negative number");
}

}  // namespace

const AdminApi::Route AdminApi::kRoutes[] = {
    {"GET", "/v1/status", &AdminApi::status},
    {"GET", "/v1/accounts", &AdminApi::list_accounts},
    {"POST", "/v1/accounts", &AdminApi::create_account},
    {"GET", "/v1/accounts/{phone}", &AdminApi::get_account},
    {"GET", "/v1/connections", &AdminApi::connections},
    {"POST", "/v1/scan", &AdminApi::scan},
    {"POST", "/v1/enter-code", &AdminApi::enter_code},
    {"POST", "/v1/send", &AdminApi::send},
    {"POST", "/v1/bulk_send", &AdminApi::bulk_send},
    {"POST", "/v1/conversations/{name}/play", &AdminApi::play},
    {"GET", "/v1/groups", &AdminApi::list_groups},
    {"POST", "/v1/groups", &AdminApi::create_group},
    {"POST", "/v1/corrupt-next", &AdminApi::corrupt_next},
    {"GET", "/v1/events", &AdminApi::events},
    {"POST", "/v1/drop", &AdminApi::drop},
    {"POST", "/v1/unlink", &AdminApi::unlink},
    {"POST", "/v1/silence", &AdminApi::silence},
    {"POST", "/v1/prekeys_low", &AdminApi::prekeys_low},
    {"POST", "/v1/fail_login", &AdminApi::fail_login},
    {"GET", "/v1/faults", &AdminApi::get_faults},
    {"POST", "/v1/faults", &AdminApi::set_faults},
    {"DELETE", "/v1/faults", &AdminApi::clear_faults},
    {"POST", "/v1/shutdown", &AdminApi::shutdown},
};

AdminResponse AdminApi::error_response(const Error& error) {
  std::string code(errc_name(error.code));  // "not found" -> "not_found"
  std::replace(code.begin(), code.end(), ' ', '_');
  return {http_status(error.code), {{"error", {{"code", code}, {"message", error.message}}}}};
}

void AdminApi::handle(const AdminRequest& request, AdminReply reply) {
  Params params;
  bool path_known = false;
  for (const Route& route : kRoutes) {
    if (!match(route.pattern, request.path, params)) continue;
    path_known = true;
    if (request.method != route.method) continue;
    try {
      (this->*(route.handler))(request, params, reply);
    } catch (const nlohmann::json::exception& e) {
      // A field of the wrong JSON type.
      reply(error_response({Errc::invalid_argument, e.what()}));
    }
    return;
  }
  if (path_known) reply({405, {{"error", {{"code", "invalid_argument"}, {"message", "method not allowed"}}}}});
  else reply({404, {{"error", {{"code", "not_found"}, {"message", "no endpoint '" + request.path + "'"}}}}});
}

void AdminApi::status(const AdminRequest&, const Params&, AdminReply& reply) { reply({200, world_.status()}); }

void AdminApi::list_accounts(const AdminRequest&, const Params&, AdminReply& reply) {
  Json accounts = Json::array();
  for (Account* account : world_.directory().all()) {
    Json view = account_public_view(*account);
    for (auto& companion : view["companions"])
      companion["connected"] =
          world_.online(DeviceId{account->phone, companion["device"].get<std::uint16_t>()}) != nullptr;
    accounts.push_back(std::move(view));
  }
  reply({200, {{"accounts", std::move(accounts)}}});
}

void AdminApi::create_account(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, world_.create_account(request.body), 201);
}

void AdminApi::get_account(const AdminRequest&, const Params& params, AdminReply& reply) {
  Account* account = world_.directory().by_phone(params[0]);
  if (!account) return reply(error_response({Errc::not_found, "no account '" + params[0] + "'"}));
  reply({200, account_public_view(*account)});
}

void AdminApi::connections(const AdminRequest&, const Params&, AdminReply& reply) {
  reply({200, {{"connections", world_.connections_json()}}});
}

void AdminApi::scan(const AdminRequest& request, const Params&, AdminReply& reply) {
  const Json& body = request.body;
  if (!body.is_object() || !body.contains("phone") || !body.contains("qr") || !body["phone"].is_string() ||
      !body["qr"].is_string())
    return reply(error_response({Errc::invalid_argument, "give 'phone' and 'qr' as strings"}));
  std::chrono::milliseconds timeout(body.value("timeout_ms", kDefaultScanTimeout.count()));
  world_.pairing().scan(body["phone"], body["qr"], timeout, [reply](Result<Json> result) mutable {
    answer(reply, std::move(result));
  });
}

// The phone types a pairing code (linking with phone number); answers as /v1/scan.
void AdminApi::enter_code(const AdminRequest& request, const Params&, AdminReply& reply) {
  const Json& body = request.body;
  if (!body.is_object() || !body.contains("phone") || !body.contains("code") || !body["phone"].is_string() ||
      !body["code"].is_string())
    return reply(error_response({Errc::invalid_argument, "give 'phone' and 'code' as strings"}));
  std::chrono::milliseconds timeout(body.value("timeout_ms", kDefaultScanTimeout.count()));
  world_.pairing().codes().enter_code(body["phone"], body["code"], timeout, [reply](Result<Json> result) mutable {
    answer(reply, std::move(result));
  });
}

void AdminApi::send(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, world_.people().send(request.body));
}

// Answers when every message was written (tests/bench/bench_messages.sh).
void AdminApi::bulk_send(const AdminRequest& request, const Params&, AdminReply& reply) {
  BulkSend(world_).start(request.body, [reply](Result<Json> result) mutable { answer(reply, std::move(result)); });
}

void AdminApi::play(const AdminRequest&, const Params& params, AdminReply& reply) {
  answer(reply, world_.people().play(params[0]));
}

void AdminApi::list_groups(const AdminRequest&, const Params&, AdminReply& reply) {
  Json groups = Json::array();
  for (const Group* group : world_.groups().all()) groups.push_back(group_json(*group));
  reply({200, {{"groups", std::move(groups)}}});
}

void AdminApi::create_group(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, world_.create_group(request.body), 201);
}

void AdminApi::corrupt_next(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, world_.retries().corrupt_next(request.body));
}

void AdminApi::events(const AdminRequest& request, const Params&, AdminReply& reply) {
  EventFilter filter;
  auto after = query_int(request, "after", 0);
  auto limit = query_int(request, "limit", 1000);
  auto wait_ms = query_int(request, "wait_ms", 0);
  if (!after || !limit || !wait_ms)
    return reply(error_response(!after ? after.error() : !limit ? limit.error() : wait_ms.error()));
  filter.after = static_cast<std::uint64_t>(*after);
  for (const auto& [key, value] : request.query) {
    if (key == "after" || key == "limit" || key == "wait_ms") continue;
    if (key == "type") {
      std::string_view types(value);
      while (!types.empty()) {
        auto comma = types.find(',');
        if (comma != 0) filter.types.emplace_back(types.substr(0, comma));
        if (comma == std::string_view::npos) break;
        types.remove_prefix(comma + 1);
      }
    } else {
      filter.fields[key] = value;
    }
  }
  auto to_json = [this](const std::vector<Event>& events, bool timed_out) {
    Json list = Json::array();
    for (const auto& event : events) list.push_back(event.to_json());
    Json body = {{"events", std::move(list)}, {"last_seq", world_.events().last_seq()}};
    if (timed_out) body["timed_out"] = true;
    return body;
  };
  if (*wait_ms == 0) return reply({200, to_json(world_.events().query(filter, *limit), false)});

  // Long-poll: whichever comes first, a matching event or the timeout.
  auto timer = std::make_shared<boost::asio::steady_timer>(world_.io(), std::chrono::milliseconds(std::min(*wait_ms, kMaxWaitMs)));
  auto shared_reply = std::make_shared<AdminReply>(std::move(reply));
  std::uint64_t waiter = world_.events().wait(filter, *limit, [timer, shared_reply, to_json](std::vector<Event> events) {
    timer->cancel();
    (*shared_reply)({200, to_json(events, events.empty())});
  });
  if (waiter == 0) return;  // answered at once
  timer->async_wait([this, waiter, shared_reply, to_json](boost::system::error_code ec) {
    if (ec) return;
    if (world_.events().cancel(waiter)) (*shared_reply)({200, to_json({}, true)});
  });
}

void AdminApi::drop(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, world_.drop(request.body.is_object() ? request.body : Json::object()));
}

void AdminApi::unlink(const AdminRequest& request, const Params&, AdminReply& reply) {
  if (!request.body.is_object() || !request.body.contains("jid"))
    return reply(error_response({Errc::invalid_argument, "give 'jid'"}));
  Json body = {{"jid", request.body["jid"]}};
  answer(reply, world_.unlink(body));
}

void AdminApi::silence(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, silence_device(world_, request.body));
}

void AdminApi::prekeys_low(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, pre_keys_low(world_, request.body));
}

void AdminApi::fail_login(const AdminRequest& request, const Params&, AdminReply& reply) {
  answer(reply, wasim::fail_login(world_, request.body));
}

void AdminApi::get_faults(const AdminRequest&, const Params&, AdminReply& reply) {
  reply({200, world_.faults().to_json()});
}

void AdminApi::set_faults(const AdminRequest& request, const Params&, AdminReply& reply) {
  if (auto armed = world_.faults().arm(request.body); !armed) return reply(error_response(armed.error()));
  reply({200, world_.faults().to_json()});
}

void AdminApi::clear_faults(const AdminRequest&, const Params&, AdminReply& reply) {
  world_.faults().clear();
  reply({200, world_.faults().to_json()});
}

void AdminApi::shutdown(const AdminRequest&, const Params&, AdminReply& reply) {
  reply({200, {{"ok", true}}});
  shutdown_();
}

}  // namespace wacrm::wasim
