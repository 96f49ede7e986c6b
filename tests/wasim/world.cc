#include "wasim/world.h"

#include <openssl/rand.h>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "noise/cert_chain.h"
#include "wasim/account_json.h"
#include "wasim/client_payload_check.h"
#include "wasim/iq_handlers.h"
#include "wasim/login.h"
#include "wasim/pairing.h"
#include "wasim/relay.h"
#include "wasim/groups.h"
#include "wasim/retry.h"
#include "wasim/scenario.h"
#include "wasim/simulated_people.h"
#include "wasim/stanzas.h"
#include "wire/node_format.h"

namespace wacrm::wasim {

using wire::Node;

namespace {

constexpr std::chrono::milliseconds kSaveDelay{200};
constexpr std::uint64_t kDay = 24 * 3600;

const char* role_name(Session::Role role) {
  switch (role) {
    case Session::Role::handshaking: return "handshaking";
    case Session::Role::registering: return "registering";
    case Session::Role::logged_in: return "logged_in";
  }
  return "?";
}

}  // namespace

World::World(boost::asio::io_context& io, ServerOptions options, signal::Context signal_context)
    : io_(io),
      options_(std::move(options)),
      signal_(std::move(signal_context)),
      pairing_(std::make_unique<Pairing>(*this)),
      login_(std::make_unique<Login>(*this)),
      iq_handlers_(std::make_unique<IqHandlers>(*this)),
      relay_(std::make_unique<Relay>(*this)),
      people_(std::make_unique<SimulatedPeople>(*this)),
      groups_(std::make_unique<Groups>(directory_)),
      retries_(std::make_unique<Retries>(*this)),
      save_timer_(io) {
  std::uint8_t random[4];
  RAND_bytes(random, sizeof random);
  // Server-originated ids look like "wasim.1a2b3c4d-7": they cannot collide
  // with Baileys' "12345.6789-N" or whatsmeow's ids.
  stanza_prefix_ = "wasim." + to_hex(ByteView(random, sizeof random)) + "-";
}

World::~World() = default;

Status World::init() {
  std::optional<State> stored;
  if (options_.state) stored = WACRM_TRY(load_state(*options_.state));
  WACRM_TRY(init_keys(stored));
  if (stored)
    for (auto& account : stored->accounts) WACRM_TRY(directory_.adopt(std::move(account)));
  if (options_.scenario) {
    Scenario scenario = WACRM_TRY(load_scenario(*options_.scenario));
    for (const auto& spec : scenario.accounts)
      if (!directory_.by_phone(spec.phone)) WACRM_TRY(directory_.create(spec, signal_));
    for (const auto& group : scenario.groups) WACRM_TRY(create_group(group));
    people_->set_conversations(std::move(scenario.conversations));
  }
  mark_dirty();
  return {};
}

Result<Json> World::create_group(const Json& request) {
  Group* group = WACRM_TRY(groups_->create(request));
  // Every member device learns of it as the server tells it: a w:gp2 <create>.
  Account* creator = directory_.by_phone(group->creator);
  Json notified = Json::array();
  for (const std::string& phone : group->participants) {
    Account* member = directory_.by_phone(phone);
    for (const auto& [device, companion] : member->companions) {
      PendingStanza pending;
      pending.id = new_stanza_id();
      pending.stanza = create_notification(*group, pending.id, creator->push_name);
      pending.from_user = group->id;
      pending.confirm_class = "notification";
      deliver(DeviceId{phone, device}, std::move(pending));
      notified.push_back(member->pn_jid(device).to_string());
    }
  }
  Json view = group_json(*group);
  view["notified"] = std::move(notified);
  event("group_created", view);
  return view;
}

Status World::init_keys(const std::optional<State>& stored) {
  if (stored) {
    root_ = WACRM_TRY(noise::KeyPair::from_private(stored->server_keys.root_private));
    intermediate_ = WACRM_TRY(noise::KeyPair::from_private(stored->server_keys.intermediate_private));
    static_ = WACRM_TRY(noise::KeyPair::from_private(stored->server_keys.static_private));
  } else {
    root_ = WACRM_TRY(noise::KeyPair::generate());
    intermediate_ = WACRM_TRY(noise::KeyPair::generate());
    static_ = WACRM_TRY(noise::KeyPair::generate());
  }
  good_chain_ = WACRM_TRY(cert_chain(std::nullopt));
  return {};
}

Result<Bytes> World::cert_chain(std::optional<CertFault> fault) {
  auto now = static_cast<std::uint64_t>(unix_now());
  noise::CertDetails intermediate{1, 0, intermediate_->public_key(), now - kDay, now + 30 * kDay};
  noise::CertDetails leaf{2, 1, static_->public_key(), now - kDay, now + 30 * kDay};
  std::optional<noise::KeyPair> other_root;
  const noise::SecretKey* root_private = &root_->private_key();
  if (fault == CertFault::wrong_root) {
    other_root = WACRM_TRY(noise::KeyPair::generate());
    root_private = &other_root->private_key();
  } else if (fault == CertFault::leaf_key_mismatch) {
    leaf.key = WACRM_TRY(noise::KeyPair::generate()).public_key();
  } else if (fault == CertFault::expired) {
    intermediate.not_before = leaf.not_before = now - 3 * kDay;
    intermediate.not_after = leaf.not_after = now - kDay;
  } else if (fault == CertFault::issuer_serial) {
    intermediate.issuer_serial = 1;
  }
  auto signed_intermediate = WACRM_TRY(noise::sign_cert(*root_private, intermediate));
  auto signed_leaf = WACRM_TRY(noise::sign_cert(intermediate_->private_key(), leaf));
  if (fault == CertFault::bad_intermediate_signature) signed_intermediate.signature[5] ^= 0x01;
  if (fault == CertFault::bad_leaf_signature) signed_leaf.signature[5] ^= 0x01;
  return noise::encode_cert_chain(signed_leaf, signed_intermediate);
}

void World::set_urls(std::string ws_url, std::string admin_url) {
  ws_url_ = std::move(ws_url);
  admin_url_ = std::move(admin_url);
}

void World::accept(std::shared_ptr<net::WsServerConnection> stream) {
  if (shutting_down_) {
    stream->abort();
    return;
  }
  std::uint64_t id = next_connection_++;
  ConnectionLimits limits{options_.first_frame_delay, options_.handshake_timeout, options_.stanza_rate,
                          options_.stanza_burst};
  auto connection = std::make_shared<Connection>(io_, std::move(stream), *this, id, limits);
  Session& session = sessions_[id];
  session.id = id;
  session.connection = connection;
  event("connected", {{"connection", id}, {"remote", connection->remote()}, {"path", connection->path()}});
  connection->start();
}

void World::shutdown() {
  shutting_down_ = true;
  std::vector<std::shared_ptr<Connection>> open;
  for (auto& [id, session] : sessions_) open.push_back(session.connection);
  for (auto& connection : open) connection->abort("wasim shuts down");
  events_.release_all();
  save_timer_.cancel();
  if (options_.state) {
    if (auto saved = save_now(); !saved) spdlog::error("Failed to save state: {}", saved.error().to_string());
  }
}

ConnectionHost::HandshakeMaterial World::handshake_material(Connection& connection) {
  HandshakeMaterial material{*static_, good_chain_};
  if (auto fault = faults_.take_cert_fault()) {
    auto chain = cert_chain(fault);
    if (chain) material.cert_chain = std::move(*chain);
    event("fault_used", {{"connection", connection.id()}, {"fault", "cert_chain:" + cert_fault_name(*fault)}});
  }
  return material;
}

void World::on_handshake_complete(Connection& connection, const noise::PublicKey& client_static, ByteView payload) {
  Session* session = this->session(connection.id());
  if (!session) return;
  PayloadDecision decision = check_client_payload(payload, client_static, options_.min_version, directory_);
  switch (decision.kind) {
    case PayloadDecision::Kind::refuse: {
      spdlog::info("connection {}: login refused ({}): {}", connection.id(), decision.failure_reason, decision.why);
      event("login_refused",
            {{"connection", connection.id()}, {"reason", decision.why}, {"failure", decision.failure_reason}});
      Node refusal = failure(decision.failure_reason);
      end(*session, &refusal, "refused: " + decision.why);
      return;
    }
    case PayloadDecision::Kind::registration:
      session->registration = decision.registration;
      event("registration_started", {{"connection", connection.id()},
                                     {"dict_version", static_cast<int>(connection.dict_version())},
                                     {"platform", decision.registration.platform},
                                     {"version", decision.version.to_string()}});
      pairing_->start(*session);
      return;
    case PayloadDecision::Kind::login:
      login_->start(*session, decision);
      return;
  }
}

void World::on_node(Connection& connection, wire::Node node) {
  Session* session = this->session(connection.id());
  if (!session || connection.closing()) return;
  spdlog::debug("connection {} <- {}", connection.id(), wire::format_node(node));
  try {
    const std::string& tag = node.tag;
    if (tag == "iq") {
      auto type = node.attr_or("type");
      if (type == "result" || type == "error") {
        if (session->role == Session::Role::registering) pairing_->on_iq_reply(*session, node);
      } else {
        iq_handlers_->on_iq(*session, node);
      }
    } else if (tag == "message") {
      relay_->on_message(*session, node);
    } else if (tag == "receipt") {
      relay_->on_receipt(*session, node);
    } else if (tag == "ack") {
      relay_->on_ack(*session, node);
    } else if (tag == "ib" || tag == "presence" || tag == "chatstate" || tag == "unified_session") {
      // Accepted silently: unified_session, offline_batch, presence updates.
    } else {
      event("stanza_ignored", {{"connection", connection.id()}, {"tag", tag}});
    }
  } catch (const std::exception& e) {
    // A bug of ours must not take wasim down; the client loses its connection.
    spdlog::error("connection {}: handling <{}> failed: {}", connection.id(), node.tag, e.what());
    Node error = stream_error(500);
    end(*session, &error, std::string("internal error: ") + e.what());
  }
}

void World::on_closed(Connection& connection, const std::string& reason) {
  std::uint64_t id = connection.id();
  Session* session = this->session(id);
  if (!session) return;
  spdlog::info("connection {} closed: {}", id, reason.empty() ? "no reason" : reason);
  if (!connection.transport_ready()) event("handshake_failed", {{"connection", id}, {"reason", reason}});
  pairing_->on_session_closed(*session, reason);
  if (session->hold_timer) session->hold_timer->cancel();
  std::string jid = device_jid(*session);
  if (session->device) {
    auto it = online_.find(*session->device);
    if (it != online_.end() && it->second == id) online_.erase(it);
  }
  event("connection_closed", {{"connection", id}, {"jid", jid}, {"reason", reason}});
  // Handlers up the stack may still hold the session: erase it later.
  boost::asio::post(io_, [this, id] { sessions_.erase(id); });
}

Session* World::session(std::uint64_t id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

Session* World::online(const DeviceId& device) {
  auto it = online_.find(device);
  return it == online_.end() ? nullptr : session(it->second);
}

void World::set_online(Session& session) { online_[*session.device] = session.id; }

std::vector<Session*> World::sessions() {
  std::vector<Session*> out;
  for (auto& [id, session] : sessions_) out.push_back(&session);
  return out;
}

SimulatedPhone& World::phone(Account& account) {
  auto& phone = phones_[account.phone];
  if (!phone) phone = std::make_unique<SimulatedPhone>(signal_, account);
  return *phone;
}

std::string World::new_stanza_id() { return stanza_prefix_ + std::to_string(next_stanza_++); }

std::uint64_t World::event(std::string type, Json data) {
  spdlog::debug("event {} {}", type, data.dump());
  return events_.append(std::move(type), std::move(data));
}

void World::mark_dirty() {
  if (!options_.state || dirty_ || shutting_down_) return;
  dirty_ = true;
  save_timer_.expires_after(kSaveDelay);
  save_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    if (auto saved = save_now(); !saved) spdlog::error("Failed to save state: {}", saved.error().to_string());
  });
}

Status World::save_now() {
  dirty_ = false;
  if (!options_.state) return {};
  return save_state(*options_.state, snapshot());
}

State World::snapshot() const {
  State state;
  state.server_keys.root_private = Bytes(root_->private_key().view().begin(), root_->private_key().view().end());
  state.server_keys.intermediate_private =
      Bytes(intermediate_->private_key().view().begin(), intermediate_->private_key().view().end());
  state.server_keys.static_private = Bytes(static_->private_key().view().begin(), static_->private_key().view().end());
  // Every device a phone may hold a session with (phones address peers by PN).
  std::vector<signal::Address> devices;
  for (Account* account : const_cast<Directory&>(directory_).all()) {
    std::vector<std::uint16_t> ids{0};
    for (const auto& [device, companion] : account->companions) ids.push_back(device);
    for (auto id : ids)
      if (auto address = address_of(account->pn_jid(id))) devices.push_back(*address);
  }
  for (Account* account : const_cast<Directory&>(directory_).all()) {
    state.accounts.push_back(*account);
    if (auto phone = phones_.find(account->phone); phone != phones_.end())
      state.accounts.back().phone_sessions = phone->second->export_sessions(devices);
  }
  return state;
}

void World::deliver(const DeviceId& device, PendingStanza stanza) {
  PendingStanza& pending = queue_.push(device, std::move(stanza));
  Session* session = online(device);
  if (session && session->active) write_pending(*session, pending, false);
}

void World::write_pending(Session& session, PendingStanza& pending, bool offline) {
  Node node = pending.stanza;
  if (offline) node.set_attr("offline", "1");
  session.connection->send(node);
  pending.sent_on = session.id;
  event("message_delivered", {{"jid", device_jid(session)},
                              {"tag", node.tag},
                              {"id", pending.id},
                              {"from", std::string(node.attr_or("from"))},
                              {"offline", offline}});
}

void World::end(Session& session, const wire::Node* last, std::string reason) {
  if (last) session.connection->send_and_close(*last, std::move(reason));
  else session.connection->close(std::move(reason));
}

std::string World::device_jid(const Session& session) const {
  if (!session.device) return "";
  return wire::Jid(session.device->phone, std::string(wire::server::kUser), session.device->device).to_string();
}

Result<Json> World::create_account(const Json& request) {
  AccountSpec spec = WACRM_TRY(account_spec_from_json(request));
  Account* account = WACRM_TRY(directory_.create(spec, signal_));
  mark_dirty();
  event("account_created", {{"phone", account->phone}, {"lid", account->lid}});
  return account_public_view(*account);
}

Result<Json> World::drop(const Json& request) {
  std::vector<Session*> targets;
  if (auto jid = request.find("jid"); jid != request.end() && jid->is_string()) {
    auto parsed = wire::Jid::parse(jid->get<std::string>());
    if (!parsed) return std::unexpected(parsed.error());
    Account* account = directory_.account_of(*parsed);
    if (account)
      if (Session* s = online(DeviceId{account->phone, parsed->device()})) targets.push_back(s);
  } else if (auto id = request.find("connection"); id != request.end() && id->is_number_unsigned()) {
    if (Session* s = session(id->get<std::uint64_t>())) targets.push_back(s);
  } else {
    return make_error(Errc::invalid_argument, "give 'jid' or 'connection'");
  }
  std::string mode = request.value("mode", "close");
  for (Session* s : targets) {
    if (mode == "close") {
      s->connection->abort("dropped by the admin API");
    } else if (mode == "stream_end") {
      Node last = stream_end();
      end(*s, &last, "stream ended by the admin API");
    } else if (mode == "stream_error") {
      Node last = stream_error(request.value("code", 503));
      end(*s, &last, "stream error by the admin API");
    } else {
      return make_error(Errc::invalid_argument, "unknown mode '" + mode + "'");
    }
  }
  return Json{{"dropped", targets.size()}};
}

Result<Json> World::unlink(const Json& request) {
  auto jid = wire::Jid::parse(request.value("jid", ""));
  if (!jid) return std::unexpected(jid.error());
  auto device = directory_.device(*jid);
  if (!device || device->is_phone()) return make_error(Errc::not_found, "'" + jid->to_string() + "' is no linked device");
  DeviceId id{device->account->phone, device->device};
  device->account->companions.erase(device->device);
  queue_.drop(id);
  Session* connected = online(id);
  bool by_client = request.value("by_client", false);
  if (connected) {
    online_.erase(id);
    std::uint64_t sid = connected->id;
    // A client that removed itself gets its iq result first.
    boost::asio::post(io_, [this, sid, by_client] {
      Session* s = session(sid);
      if (!s) return;
      Node removed = stream_error(401, {Node("conflict", {{"type", "device_removed"}})});
      end(*s, by_client ? nullptr : &removed, "unlinked");
    });
  }
  mark_dirty();
  event("unlinked", {{"jid", device->account->pn_jid(id.device).to_string()},
                     {"was_connected", connected != nullptr},
                     {"by_client", by_client}});
  return Json{{"unlinked", true}, {"was_connected", connected != nullptr}};
}

Json World::connections_json() const {
  Json list = Json::array();
  for (const auto& [id, s] : sessions_)
    list.push_back({{"id", id},
                    {"state", role_name(s.role)},
                    {"jid", device_jid(s)},
                    {"dict_version", s.connection->transport_ready() ? static_cast<int>(s.connection->dict_version()) : 0},
                    {"active", s.active},
                    {"remote", s.connection->remote()}});
  return list;
}

Json World::status() const {
  return {{"ws_url", ws_url_},
          {"admin_url", admin_url_},
          {"noise_root_public_key", to_hex(root_->public_key())},
          {"accounts", directory_.size()},
          {"connections", connections_json()},
          {"queued", queue_.total()},
          {"last_seq", events_.last_seq()}};
}

}  // namespace wacrm::wasim
