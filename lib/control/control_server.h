// The daemon end of the control socket: a Unix stream socket whose
// connections carry length-prefixed Frames (frame_codec.h). Every request is
// dispatched through a MethodTable; answers go back on the same connection,
// several may be in flight per connection (bounded).
//
// Runs on one io_context (the daemon's loop). Library code does not log:
// abnormal closes (malformed or oversized frame, read timeout) are reported
// through Options::on_warning and the daemon logs them.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/error.h"
#include "control/frame_codec.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::control {

class MethodTable;

struct ControlServerOptions {
  std::filesystem::path socket_path;
  // The socket file gets mode 0660 and this group (if it exists); its
  // members and root may administer (peer_credentials.h).
  std::string group = "wacrm";
  std::size_t max_frame_size = kDefaultMaxFrameSize;
  // A connection that sends nothing for this long while no request of its is
  // in flight, or leaves a frame half-sent this long, is closed.
  std::chrono::milliseconds read_timeout{30'000};
  std::size_t max_connections = 64;
  std::size_t max_in_flight_per_connection = 16;
  std::function<void(const std::string& message)> on_warning;
};

class ControlServer {
 public:
  ControlServer(boost::asio::io_context& io, const MethodTable& methods, ControlServerOptions options);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Creates the socket's directory if missing (mode 0750, the control group),
  // replaces a stale socket file, binds, sets mode and group, listens and
  // starts accepting. Errc::already_exists when another process listens there.
  Status start();

  // Stops accepting and removes the socket file (if it is still ours). Open
  // connections keep being served.
  void stop_accepting();

  // After stop_accepting(): calls done(unfinished) on the loop once no
  // request is in flight, or when the deadline passes with `unfinished`
  // requests still running; then closes every connection.
  void drain(std::chrono::milliseconds deadline, std::function<void(std::size_t unfinished)> done);

  std::size_t in_flight() const;
  std::size_t connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace wacrm::control
