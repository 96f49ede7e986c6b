// One accepted control connection (internal to ControlServer): reads frames
// with a timeout, dispatches requests, writes responses in completion order.
#pragma once

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "control/frame_codec.h"
#include "control/peer_credentials.h"

namespace wacrm::control {

class MethodTable;
class Response;

// What a session needs from its server; the server outlives no session
// (sessions keep it alive through this shared_ptr).
class SessionHost {
 public:
  virtual ~SessionHost() = default;
  virtual const MethodTable& methods() const = 0;
  virtual const AdminPolicy& policy() const = 0;
  virtual void request_started() = 0;
  virtual void request_finished() = 0;
  virtual void session_closed(std::uint64_t session_id) = 0;
  virtual void warn(const std::string& message) = 0;
};

struct SessionLimits {
  std::size_t max_frame_size = kDefaultMaxFrameSize;
  std::chrono::milliseconds read_timeout{30'000};
  std::size_t max_in_flight = 16;
  // A client that lets more than this pile up unread (a streaming answer it
  // does not consume) is disconnected.
  std::size_t max_queued_bytes = 16 * 1024 * 1024;
};

class ControlSession : public std::enable_shared_from_this<ControlSession> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;

  ControlSession(std::uint64_t id, Socket socket, std::shared_ptr<SessionHost> host, SessionLimits limits);

  // Reads the peer's credentials and starts reading requests.
  void start();
  // Closes the connection; responses still in flight are dropped when they come.
  void close();
  std::size_t in_flight() const { return in_flight_; }

 private:
  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void arm_timer();
  void on_timer(const boost::system::error_code& ec);
  void process_frames();
  void handle_request(class Request& request);
  void on_response(Response response);
  void write_next();
  void fail(const std::string& reason);

  std::uint64_t id_;
  Socket socket_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<SessionHost> host_;
  SessionLimits limits_;
  FrameCodec codec_;
  PeerCredentials peer_;
  bool admin_ = false;
  std::string refusal_;
  // When the unfinished frame in codec_ began to arrive.
  std::optional<std::chrono::steady_clock::time_point> partial_since_;
  std::uint8_t read_buffer_[16 * 1024];
  bool reading_ = false;
  bool closed_ = false;
  std::size_t in_flight_ = 0;
  struct Outgoing {
    std::string bytes;
    bool final;  // the last answer of its request
  };
  std::deque<Outgoing> write_queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
};

}  // namespace wacrm::control
