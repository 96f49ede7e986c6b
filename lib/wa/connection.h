// One connection to the WhatsApp server, from the WebSocket to nodes:
// lib/net's WebSocket + Noise handshake (certificate checked against the
// configured root), then binary nodes both ways, iq requests matched to their
// answers with deadlines (iq.h), and the keep-alive (keepalive.h) that ends
// a connection gone quiet.
//
// Every way a connection ends — the server closed it, the network broke, the
// keep-alive gave up, or close() — is reported once through on_closed, with
// the reason; pending iqs fail with Errc::unavailable.
//
// Threading: everything on the io_context's thread.
#pragma once

#include <utility>  // before Asio: boost/asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/key_pair.h"
#include "wa/client_config.h"
#include "wa/iq.h"
#include "wa/keepalive.h"
#include "wire/node.h"
#include "wire/tokens.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::net {
class NoiseSocket;
}

namespace wacrm::wa {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using NodeHandler = std::function<void(const wire::Node&)>;
  using ClosedHandler = std::function<void(const Error&)>;

  // WebSocket connect, Noise handshake with our static key and ClientPayload.
  // Errors name the step (a refused certificate chain is Errc::crypto or
  // Errc::protocol with the check that failed).
  static boost::asio::awaitable<Result<std::shared_ptr<Connection>>> open(boost::asio::io_context& io,
                                                                         const ClientConfig& config,
                                                                         noise::KeyPair noise_static,
                                                                         Bytes client_payload);
  ~Connection();

  // Starts reading: on_node gets every node except answers to our iqs.
  void start(NodeHandler on_node, ClosedHandler on_closed);

  // Queues one node. Errc::unavailable once the connection is closed.
  Status send(const wire::Node& node);
  // Sends an iq (an id is assigned) and calls back with its answer, an iq
  // error, Errc::timeout, or Errc::unavailable when the connection ends first.
  void send_iq(wire::Node iq, IqTracker::Callback callback, std::chrono::milliseconds timeout);
  void send_iq(wire::Node iq, IqTracker::Callback callback) { send_iq(std::move(iq), std::move(callback), iq_timeout_); }
  // send_iq as an awaitable.
  boost::asio::awaitable<Result<wire::Node>> query(wire::Node iq);

  // Back-pressure from whoever takes our nodes (net::NoiseSocket::pause_reading):
  // no node arrives while paused. The keep-alive holds still meanwhile — the
  // silence is ours, and a ping's answer would wait unread behind the frames
  // we hold back — so it neither pings nor declares the connection dead; it
  // counts the resume as a frame received. iq answers held back get
  // ping_timeout after the resume before their deadlines apply. A pause is
  // bounded by the caller's work (the receiver drains its queue whether or
  // not the server is still there), so a dead server is noticed after it.
  // May be called before start(); resume_reading runs the held-back frames
  // from the loop, not inside the call.
  void pause_reading();
  void resume_reading();

  // Flushes what is queued, closes, and reports `reason` through on_closed.
  void close(const Error& reason);
  bool is_open() const { return !closed_; }
  std::string remote_endpoint() const;

 private:
  Connection(boost::asio::io_context& io, const ClientConfig& config, std::shared_ptr<net::NoiseSocket> socket);
  void on_frame(Bytes plaintext);
  void finish(const Error& reason);
  void arm_timer();
  void on_tick();

  boost::asio::io_context& io_;
  wire::DictVersion dict_version_;
  std::chrono::milliseconds iq_timeout_;
  std::chrono::milliseconds ping_timeout_;
  std::shared_ptr<net::NoiseSocket> socket_;
  IqTracker tracker_;
  KeepAlive keepalive_;
  boost::asio::steady_timer timer_;
  NodeHandler on_node_;
  ClosedHandler on_closed_;
  bool closed_ = false;
  bool paused_ = false;
  KeepAlive::Clock::time_point resumed_at_{};  // iq deadlines apply from resumed_at_ + ping_timeout_
};

}  // namespace wacrm::wa
