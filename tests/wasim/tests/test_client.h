// A raw protocol client for wasim's tests, built from lib/net (the Noise
// initiator over a WebSocket), lib/wire and lib/signal: it registers, checks
// and signs a pairing, logs in, uploads pre-keys, decrypts what it receives
// and sends stanzas -- everything a companion does, step by step, so a test
// can also do it wrong on purpose.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "base/error.h"
#include "net/noise_socket.h"
#include "noise/key_pair.h"
#include "signal/context.h"
#include "signal/memory_signal_store.h"
#include "signal/protocol.h"
#include "store/credentials_store.h"
#include "wire/node.h"
#include "wire/tokens.h"

namespace wacrm::wa {
class Message;
}

namespace wacrm::wasim::testing {

using wire::Node;
using namespace std::chrono_literals;

// The keys and Signal state of one companion device, kept across its
// connections (copies share the store).
struct DeviceKeys {
  static DeviceKeys generate(signal::Context& context);
  noise::KeyPair noise_key;
  store::SignalLocalIdentity identity;
  Bytes adv_secret;
  std::shared_ptr<signal::MemorySignalStore> store;
};

struct ClientOptions {
  std::uint8_t dict_version = 3;
  std::uint32_t app_version = 1043857760;  // 2.3000.N
};

// The keys as lib/wa keeps them (its payload and pairing code takes these);
// `jid` names the linked device for a login payload.
store::DeviceCredentials credentials_of(const DeviceKeys& keys, const std::string& jid = "");

class TestClient {
 public:
  TestClient(std::string ws_url, noise::PublicKey root_key, signal::Context& context, DeviceKeys keys,
             ClientOptions options = {});
  ~TestClient();

  // Connects and sends a registration / login payload. An error for a
  // refused handshake (e.g. a certificate chain that fails a check).
  Status connect_registration();
  Status connect_login(const std::string& phone, std::uint16_t device);
  Status connect_with_payload(Bytes payload);
  // connect_login, then true once <success> arrived.
  bool log_in(const std::string& phone, std::uint16_t device);

  void send(const Node& node);
  // Sends a transport plaintext as it is (for malformed stanzas).
  void send_raw(ByteView plaintext);
  // The next received node matching `match` (earlier non-matching ones are
  // kept for later calls); nullopt at the timeout or when the connection closed.
  std::optional<Node> next(const std::function<bool(const Node&)>& match, std::chrono::milliseconds timeout = 10s);
  std::optional<Node> next_tag(const std::string& tag, std::chrono::milliseconds timeout = 10s);
  // An iq with this id (a response).
  std::optional<Node> response(const std::string& id, std::chrono::milliseconds timeout = 10s);
  // Sends an iq and waits for its response.
  std::optional<Node> query(Node iq, std::chrono::milliseconds timeout = 10s);
  bool wait_closed(std::chrono::milliseconds timeout = 10s);
  bool closed() const { return closed_; }
  const std::string& close_reason() const { return close_reason_; }
  void close();
  // Lets the connection run for a while (to show that nothing arrives).
  void pump(std::chrono::milliseconds duration);
  // Everything received and not yet taken.
  const std::deque<Node>& inbox() const { return inbox_; }

  // --- pairing
  // The QR string for a ref: URL form (current clients) or the bare 4 fields.
  std::string qr_string(const std::string& ref, bool url_form = true) const;
  // Checks a pair-success iq with lib/wa's verification (HMAC, account
  // signature) and returns the pair-device-sign reply, or lib/wa's iq error
  // reply and the reason as an error.
  struct Signed {
    Node reply;
    std::string refusal;  // empty: reply is pair-device-sign
  };
  Signed sign_pairing(const Node& pair_success, bool corrupt_device_signature = false);
  const std::string& device_jid() const { return device_jid_; }

  // --- after login
  Node pre_key_upload(std::uint32_t first_id, std::uint32_t count);
  // Decrypts one <enc> of a <message> (padding removed), as that sender.
  Result<Bytes> decrypt(const Node& message);
  Result<wa::Message> decrypt_message(const Node& message);
  // Fetches the pre-key bundle of one device JID (<iq xmlns="encrypt"><key>);
  // the <user> node's <error> code as Errc::not_found text when refused.
  Result<signal::PreKeyBundle> fetch_bundle(const std::string& jid);
  // Fetches a bundle, builds a session and encrypts `message` for `jid`:
  // the <enc> node to put in a stanza.
  Result<Node> encrypt_for(const std::string& jid, const wa::Message& message);
  signal::Protocol& protocol() { return protocol_; }
  const DeviceKeys& keys() const { return keys_; }

  std::string next_id() { return "test." + std::to_string(++ids_); }

 private:
  void run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

  boost::asio::io_context io_;
  std::string ws_url_;
  noise::PublicKey root_key_;
  signal::Context& context_;
  DeviceKeys keys_;
  ClientOptions options_;
  signal::Protocol protocol_;
  std::shared_ptr<net::NoiseSocket> socket_;
  std::deque<Node> inbox_;
  bool closed_ = true;
  std::string close_reason_;
  std::string device_jid_;
  int ids_ = 0;
};

// <iq id to="@s.whatsapp.net" type xmlns>children</iq>
Node make_iq(const std::string& id, const std::string& type, const std::string& xmlns, Node::Children children = {});

}  // namespace wacrm::wasim::testing
