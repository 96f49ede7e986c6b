#include "wasim/iq_handlers.h"

#include <boost/asio/post.hpp>

#include "wasim/groups.h"
#include "wasim/client_faults.h"
#include "wasim/login.h"
#include "wasim/pairing.h"
#include "wasim/prekeys.h"
#include "wasim/stanzas.h"
#include "wasim/usync.h"
#include "wasim/world.h"

namespace wacrm::wasim {

using wire::Node;

namespace {

constexpr int kBadRequest = 400;
constexpr int kNotAuthorized = 401;
constexpr int kNotFound = 404;
constexpr int kNotImplemented = 501;

}  // namespace

IqHandlers::IqHandlers(World& world) : world_(world) {
  routes_ = {
      {"w:p", "get", "", &IqHandlers::ping, true},
      {"encrypt", "get", "count", &IqHandlers::pre_key_count, false},
      {"encrypt", "set", "", &IqHandlers::pre_key_upload, false},
      {"encrypt", "get", "digest", &IqHandlers::pre_key_digest, false},
      {"encrypt", "get", "key", &IqHandlers::key_fetch, false},
      {"passive", "set", "", &IqHandlers::passive, false},
      {"abt", "get", "props", &IqHandlers::abt_props, false},
      {"w", "get", "props", &IqHandlers::web_props, false},
      {"blocklist", "get", "", &IqHandlers::blocklist, false},
      {"privacy", "get", "privacy", &IqHandlers::privacy_get, false},
      {"privacy", "set", "", &IqHandlers::plain_result, false},
      {"usync", "get", "usync", &IqHandlers::usync, false},
      {"urn:xmpp:whatsapp:dirty", "set", "clean", &IqHandlers::plain_result, false},
      {"w:sync:app:state", "set", "sync", &IqHandlers::app_state_sync, false},
      {"w:g2", "get", "participating", &IqHandlers::groups, false},
      {"w:g2", "get", "query", &IqHandlers::group_metadata, false},
      {"w:profile:picture", "get", "picture", &IqHandlers::no_picture, false},
      {"md", "set", "remove-companion-device", &IqHandlers::remove_companion, false},
      {"md", "set", "link_code_companion_reg", &IqHandlers::link_code_companion_reg, true},
  };
}

void IqHandlers::on_iq(Session& session, const wire::Node& iq) {
  std::string id(iq.attr_or("id"));
  std::string xmlns(iq.attr_or("xmlns"));
  std::string type(iq.attr_or("type"));
  auto children = iq.child_nodes();
  std::string child = children.empty() ? "" : children.front().tag;
  Node answer;
  if (id.empty()) {
    world_.event("stanza_rejected", {{"connection", session.id}, {"reason", "iq without id"}});
    return;
  }
  const Route* route = nullptr;
  for (const Route& r : routes_)
    if (r.xmlns == xmlns && r.type == type && (r.child.empty() || r.child == child)) route = &r;
  bool logged_in = session.role == Session::Role::logged_in;
  if (!route) answer = iq_error(id, kNotImplemented, "feature-not-implemented");
  else if (!logged_in && !route->before_login) answer = iq_error(id, kNotAuthorized, "not-authorized");
  else answer = (this->*(route->handler))(session, iq);

  std::string answered = "result";
  if (const Node* error = answer.child("error"); answer.attr_or("type") == "error" && error)
    answered = "error " + std::string(error->attr_or("code"));
  session.connection->send(answer);
  world_.event("iq", {{"connection", session.id},
                      {"jid", world_.device_jid(session)},
                      {"id", id},
                      {"xmlns", xmlns},
                      {"type", type},
                      {"child", child},
                      {"answered", answered}});
}

Companion* IqHandlers::companion_of(Session& session) {
  if (!session.device) return nullptr;
  Account* account = world_.directory().by_phone(session.device->phone);
  return account ? account->companion(session.device->device) : nullptr;
}

Node IqHandlers::ping(Session&, const Node& iq) { return iq_result(iq.attr_or("id")); }

Node IqHandlers::plain_result(Session&, const Node& iq) { return iq_result(iq.attr_or("id")); }

// Linking with phone number (pairing_code.h).
Node IqHandlers::link_code_companion_reg(Session& session, const Node& iq) {
  return world_.pairing().codes().on_companion_reg(session, iq);
}

Node IqHandlers::pre_key_count(Session& session, const Node& iq) {
  Companion* companion = companion_of(session);
  std::size_t count = companion ? companion->pre_keys.size() : 0;
  return iq_result(iq.attr_or("id"), {Node("count", {{"value", std::to_string(count)}})});
}

Node IqHandlers::pre_key_upload(Session& session, const Node& iq) {
  std::string id(iq.attr_or("id"));
  Companion* companion = companion_of(session);
  auto upload = parse_pre_key_upload(iq);
  Status applied = upload ? (companion ? apply_pre_key_upload(*companion, *upload)
                                       : Status(make_error(Errc::not_found, "no companion")))
                          : Status(std::unexpected(upload.error()));
  if (!applied) {
    world_.event("prekeys_rejected", {{"jid", world_.device_jid(session)}, {"reason", applied.error().message}});
    return iq_error(id, kBadRequest, "bad-request");
  }
  world_.event("prekeys_uploaded", {{"jid", world_.device_jid(session)},
                                    {"count", upload->pre_keys.size()},
                                    {"total", companion->pre_keys.size()},
                                    {"signed_pre_key_id", upload->signed_pre_key.id}});
  world_.mark_dirty();
  std::uint64_t sid = session.id;
  boost::asio::post(world_.io(), [this, sid] {
    if (Session* s = world_.session(sid)) world_.login().after_pre_key_upload(*s);
  });
  return iq_result(id);
}

Node IqHandlers::pre_key_digest(Session& session, const Node& iq) {
  Companion* companion = companion_of(session);
  if (!companion || !companion->uploaded_pre_keys) return iq_error(iq.attr_or("id"), kNotFound, "item-not-found");
  return iq_result(iq.attr_or("id"), {digest_node(*companion)});
}

Node IqHandlers::key_fetch(Session& session, const Node& iq) {
  const Node* key = iq.child("key");
  bool corrupt = world_.faults().take_bad_signed_pre_key_signature();
  Node::Children users;
  for (const Node& user : key->child_nodes()) {
    if (user.tag != "user") continue;
    std::string jid(user.attr_or("jid"));
    auto parsed = wire::Jid::parse(jid);
    auto device = parsed ? world_.directory().device(*parsed) : Result<DeviceRef>(std::unexpected(parsed.error()));
    auto bundle = device ? take_bundle(*device) : Result<signal::PreKeyBundle>(std::unexpected(device.error()));
    if (!bundle) {
      users.push_back(bundle_error_node(jid, kNotFound, "item-not-found"));
      world_.event("prekeys_fetched", {{"by", world_.device_jid(session)}, {"jid", jid}, {"error", 404}});
      continue;
    }
    Json event = {{"by", world_.device_jid(session)}, {"jid", jid}, {"corrupted", corrupt}};
    if (bundle->pre_key) event["pre_key_id"] = bundle->pre_key->id;
    world_.event("prekeys_fetched", std::move(event));
    users.push_back(bundle_node(jid, *bundle, corrupt));
    if (device->is_phone()) (void)Directory::refill_phone_pre_keys(*device->account, world_.signal());
    else if (bundle->pre_key) after_pre_key_taken(world_, *device);
  }
  world_.mark_dirty();
  return iq_result(iq.attr_or("id"), {Node("list", {}, std::move(users))});
}

Node IqHandlers::passive(Session& session, const Node& iq) {
  const Node* mode = iq.child("active") ? iq.child("active") : iq.child("passive");
  if (!mode) return iq_error(iq.attr_or("id"), kBadRequest, "bad-request");
  if (mode->tag == "active") {
    std::uint64_t sid = session.id;
    boost::asio::post(world_.io(), [this, sid] {
      if (Session* s = world_.session(sid)) world_.login().on_active(*s);
    });
  }
  return iq_result(iq.attr_or("id"));
}

Node IqHandlers::abt_props(Session&, const Node& iq) {
  // Baileys 7 reads only these three (03 §10.3); values are WA Web's defaults.
  Node::Children props{Node("prop", {{"config_code", "10518"}, {"config_value", "true"}}),
                       Node("prop", {{"config_code", "9666"}, {"config_value", "true"}}),
                       Node("prop", {{"config_code", "14303"}, {"config_value", "false"}})};
  return iq_result(iq.attr_or("id"), {Node("props", {{"protocol", "1"}, {"hash", "wasim-abt-1"}, {"refresh", "86400"}},
                                           std::move(props))});
}

Node IqHandlers::web_props(Session&, const Node& iq) {
  Node::Children props{Node("prop", {{"name", "webc_has_dirty"}, {"value", "0"}})};
  return iq_result(iq.attr_or("id"), {Node("props", {{"version", "1"}, {"hash", "wasim-w-1"}}, std::move(props))});
}

Node IqHandlers::blocklist(Session&, const Node& iq) {
  return iq_result(iq.attr_or("id"), {Node("list", {{"dhash", "0"}}, Node::Children{})});
}

Node IqHandlers::privacy_get(Session&, const Node& iq) {
  Node::Children categories;
  for (const char* name : {"last", "online", "profile", "status", "groupadd", "readreceipts", "calladd"})
    categories.push_back(Node("category", {{"name", name},
                                           {"value", std::string_view(name) == "online" ? "all" :
                                                     std::string_view(name) == "readreceipts" ? "all" : "contacts"}}));
  return iq_result(iq.attr_or("id"), {Node("privacy", {}, std::move(categories))});
}

Node IqHandlers::usync(Session&, const Node& iq) {
  auto answer = usync_answer(iq, world_.directory());
  if (!answer) return iq_error(iq.attr_or("id"), kBadRequest, "bad-request");
  return iq_result(iq.attr_or("id"), {std::move(*answer)});
}

Node IqHandlers::app_state_sync(Session&, const Node& iq) {
  // wasim keeps no app state: every collection is empty at version 0.
  Node::Children collections;
  for (const Node& collection : iq.child("sync")->child_nodes())
    if (collection.tag == "collection")
      collections.push_back(Node("collection", {{"name", std::string(collection.attr_or("name"))}, {"version", "0"}}));
  return iq_result(iq.attr_or("id"), {Node("sync", {}, std::move(collections))});
}

Node IqHandlers::groups(Session& session, const Node& iq) {
  // <groups><group …><participant/>…</group>…</groups>: every group the account is in.
  Node::Children entries;
  for (const Group* group : world_.groups().of_member(session.device->phone)) entries.push_back(group_node(*group));
  return iq_result(iq.attr_or("id"), {Node("groups", {}, std::move(entries))});
}

Node IqHandlers::group_metadata(Session& session, const Node& iq) {
  // <iq to="ID@g.us"><query request="interactive"/></iq> -> <iq from="ID@g.us"><group …/></iq>.
  // A group the asker is not in answers as missing, as the server does for strangers.
  std::string to(iq.attr_or("to"));
  const Group* group = world_.groups().find(to);
  if (!group || !group->has_member(session.device->phone)) return iq_error(iq.attr_or("id"), kNotFound, "item-not-found");
  Node answer = iq_result(iq.attr_or("id"), {group_node(*group)});
  answer.set_attr("from", group->jid().to_string());
  return answer;
}

Node IqHandlers::no_picture(Session&, const Node& iq) { return iq_error(iq.attr_or("id"), kNotFound, "item-not-found"); }

Node IqHandlers::remove_companion(Session& session, const Node& iq) {
  const Node* remove = iq.child("remove-companion-device");
  std::string jid(remove->attr_or("jid"));
  auto unlinked = world_.unlink({{"jid", jid}, {"by_client", true}});
  if (!unlinked) return iq_error(iq.attr_or("id"), kNotFound, "item-not-found");
  return iq_result(iq.attr_or("id"));
}

}  // namespace wacrm::wasim
