// Everything the io thread owns: accounts, sessions, queues, the event log,
// faults, the simulated phones, wasim's Noise keys -- and the glue that turns
// a connection's handshake and stanzas into calls on the parts that handle
// them (pairing, login, iq handlers, relay, simulated people).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "noise/key_pair.h"
#include "signal/context.h"
#include "wasim/connection.h"
#include "wasim/directory.h"
#include "wasim/event_log.h"
#include "wasim/faults.h"
#include "wasim/offline_queue.h"
#include "wasim/server_options.h"
#include "wasim/session.h"
#include "wasim/simulated_phone.h"
#include "wasim/state_file.h"

namespace wacrm::wasim {

using Json = nlohmann::json;

class Pairing;
class Login;
class IqHandlers;
class Relay;
class SimulatedPeople;
class Groups;
class Retries;

class World final : public ConnectionHost {
 public:
  World(boost::asio::io_context& io, ServerOptions options, signal::Context signal_context);
  ~World() override;

  // Keys (from the state file or fresh), stored accounts, scenario accounts.
  Status init();
  void accept(std::shared_ptr<net::WsServerConnection> stream);
  // Closes every connection and saves the state.
  void shutdown();

  // ConnectionHost
  HandshakeMaterial handshake_material(Connection& connection) override;
  void on_handshake_complete(Connection& connection, const noise::PublicKey& client_static,
                             ByteView client_payload) override;
  void on_node(Connection& connection, wire::Node node) override;
  void on_closed(Connection& connection, const std::string& reason) override;

  // --- services the parts share
  boost::asio::io_context& io() { return io_; }
  const ServerOptions& options() const { return options_; }
  signal::Context& signal() { return signal_; }
  Directory& directory() { return directory_; }
  OfflineQueue& queue() { return queue_; }
  EventLog& events() { return events_; }
  Faults& faults() { return faults_; }
  const noise::PublicKey& root_public_key() const { return root_->public_key(); }
  Pairing& pairing() { return *pairing_; }
  Login& login() { return *login_; }
  Relay& relay() { return *relay_; }
  SimulatedPeople& people() { return *people_; }
  Groups& groups() { return *groups_; }
  Retries& retries() { return *retries_; }

  Session* session(std::uint64_t id);
  // The logged-in session of a device, if it is connected.
  Session* online(const DeviceId& device);
  // Makes `session` the one connection of its device.
  void set_online(Session& session);
  std::vector<Session*> sessions();
  SimulatedPhone& phone(Account& account);
  // Ids for stanzas wasim originates; never collide with client ids.
  std::string new_stanza_id();
  std::uint64_t event(std::string type, Json data);
  // Saves the state file soon (coalesced).
  void mark_dirty();
  Status save_now();

  // Queues a stanza for a device and writes it at once if that device is
  // online and its offline delivery has begun.
  void deliver(const DeviceId& device, PendingStanza stanza);
  // Writes a pending stanza on a session (offline marks it as replayed).
  void write_pending(Session& session, PendingStanza& pending, bool offline);
  // Ends a session's connection, optionally with a last stanza.
  void end(Session& session, const wire::Node* last, std::string reason);

  // --- admin operations that are not a part's
  Result<Json> create_account(const Json& request);
  Result<Json> drop(const Json& request);
  Result<Json> unlink(const Json& request);
  // POST /v1/groups: a group of existing accounts.
  Result<Json> create_group(const Json& request);
  Json status() const;
  Json connections_json() const;
  // The session's device JID ("N:D@s.whatsapp.net"), or "".
  std::string device_jid(const Session& session) const;

  void set_urls(std::string ws_url, std::string admin_url);

 private:
  Status init_keys(const std::optional<State>& stored);
  Result<Bytes> cert_chain(std::optional<CertFault> fault);
  State snapshot() const;
  void forget_device(const DeviceId& device);

  boost::asio::io_context& io_;
  ServerOptions options_;
  signal::Context signal_;
  Directory directory_;
  OfflineQueue queue_;
  EventLog events_;
  Faults faults_;
  std::optional<noise::KeyPair> root_;
  std::optional<noise::KeyPair> intermediate_;
  std::optional<noise::KeyPair> static_;
  Bytes good_chain_;

  std::map<std::uint64_t, Session> sessions_;
  std::map<DeviceId, std::uint64_t> online_;
  std::map<std::string, std::unique_ptr<SimulatedPhone>> phones_;
  std::uint64_t next_connection_ = 1;
  std::uint64_t next_stanza_ = 1;
  std::string stanza_prefix_;

  std::unique_ptr<Pairing> pairing_;
  std::unique_ptr<Login> login_;
  std::unique_ptr<IqHandlers> iq_handlers_;
  std::unique_ptr<Relay> relay_;
  std::unique_ptr<SimulatedPeople> people_;
  std::unique_ptr<Groups> groups_;
  std::unique_ptr<Retries> retries_;

  bool dirty_ = false;
  boost::asio::steady_timer save_timer_;
  bool shutting_down_ = false;
  std::string ws_url_;
  std::string admin_url_;
};

}  // namespace wacrm::wasim
