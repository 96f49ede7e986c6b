// One client connection: lib/net's WebSocket stream and Noise responder
// (async_noise_accept, NoiseSocket), plus what wasim adds on top: the node
// codec with the connection's dictionary, the first-frame delay, a stanza
// rate limit. What the stanzas mean is the host's business (World): the
// connection hands it the handshake result and every decoded node.
//
// The first frame after ClientFinish is held until first_frame_delay has
// passed (Baileys 6's handshake race, 03 §0 trap 2). A stanza that does not
// decode or a stanza rate above the limit ends the stream with an error.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/bytes.h"
#include "net/noise_server.h"
#include "net/noise_socket.h"
#include "net/ws_server.h"
#include "noise/key_pair.h"
#include "wasim/rate_limiter.h"
#include "wire/node.h"
#include "wire/tokens.h"

namespace wacrm::wasim {

class Connection;

struct ConnectionLimits {
  std::chrono::milliseconds first_frame_delay{50};
  std::chrono::milliseconds handshake_timeout{20000};
  double stanza_rate = 200;
  double stanza_burst = 2000;
  std::size_t max_queued_frames = 20000;
};

// What a connection needs from the server around it.
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  // The server static key pair and the certificate chain for this handshake.
  struct HandshakeMaterial {
    noise::KeyPair server_static;
    Bytes cert_chain;
  };
  virtual HandshakeMaterial handshake_material(Connection& connection) = 0;
  virtual void on_handshake_complete(Connection& connection, const noise::PublicKey& client_static,
                                     ByteView client_payload) = 0;
  virtual void on_node(Connection& connection, wire::Node node) = 0;
  // Exactly once per connection, whatever ended it.
  virtual void on_closed(Connection& connection, const std::string& reason) = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::io_context& io, std::shared_ptr<net::WsServerConnection> stream, ConnectionHost& host,
             std::uint64_t id, ConnectionLimits limits);
  ~Connection();

  // Runs the Noise handshake, then reads stanzas.
  void start();

  std::uint64_t id() const { return id_; }
  const std::string& remote() const { return remote_; }
  const std::string& path() const { return path_; }
  wire::DictVersion dict_version() const { return dict_; }
  bool transport_ready() const { return socket_ != nullptr; }
  bool closing() const { return closing_ || closed_; }

  // Encodes, encrypts and queues a stanza (dropped once closing).
  void send(const wire::Node& node);
  // Sends a last stanza (stream error, failure), then closes.
  void send_and_close(const wire::Node& node, std::string reason);
  // Closes after queued frames are written.
  void close(std::string reason);
  // Closes the TCP connection at once, writing nothing more.
  void abort(std::string reason);
  // From now on reads and drops every stanza and sends nothing (no ping
  // answered), holding the connection open: a server gone quiet, which the
  // client's keep-alive must notice (fault `silence`).
  void silence() { silenced_ = true; }
  bool silenced() const { return silenced_; }

 private:
  void on_accepted(Result<net::AcceptedNoiseConnection> accepted);
  void on_frame(Bytes plaintext);
  void write(Bytes payload);
  void flush_held();
  void notify_closed(const std::string& reason);

  boost::asio::io_context& io_;
  std::shared_ptr<net::WsServerConnection> stream_;
  std::shared_ptr<net::NoiseSocket> socket_;
  ConnectionHost& host_;
  std::uint64_t id_;
  ConnectionLimits limits_;
  std::string remote_;
  std::string path_;
  wire::DictVersion dict_ = wire::DictVersion::v3;
  RateLimiter limiter_;

  // Frames sent before first_frame_at_ wait here (first-frame delay).
  std::deque<Bytes> held_;
  std::chrono::steady_clock::time_point first_frame_at_{};
  boost::asio::steady_timer first_frame_timer_;

  bool silenced_ = false;
  bool closing_ = false;  // close once held frames are out
  bool closed_ = false;   // on_closed delivered
  std::string close_reason_;
};

}  // namespace wacrm::wasim
