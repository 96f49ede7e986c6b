// The client end of the control socket (wacrmctl, tests): blocking, one
// request at a time, one deadline per exchange (connect + write + read).
// No Asio and no store here, so wacrmctl links only this and wacrm_proto.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/error.h"
#include "control/frame_codec.h"

namespace wacrm::control {

class Request;
class Response;

// Where wacrmd listens unless configured otherwise (control.socket).
inline constexpr const char* kDefaultSocketPath = "/run/wacrm/wacrmd.sock";

class ControlClient {
 public:
  // Errors: Errc::unavailable when nothing listens at path (no file, or a
  // stale one), Errc::permission_denied when the file system refuses us,
  // Errc::timeout when the daemon does not accept in time.
  static Result<ControlClient> connect(const std::string& path, std::chrono::milliseconds timeout,
                                       std::size_t max_frame_size = kDefaultMaxFrameSize);

  ControlClient(ControlClient&& other) noexcept;
  ControlClient& operator=(ControlClient&&) = delete;
  ~ControlClient();

  // Sends request (its id is assigned here) and waits for the response with
  // the same id, all within timeout. Errc::unavailable if the daemon closes
  // the connection, Errc::timeout past the deadline.
  Status call(Request& request, Response& response, std::chrono::milliseconds timeout);
  // Streaming methods: while response.more() is set, further responses for
  // the same request follow; this reads the next one.
  Status read_more(std::uint64_t request_id, Response& response, std::chrono::milliseconds timeout);

  // Raw access for tests that need to send broken frames.
  Status send_bytes(const std::string& bytes, std::chrono::milliseconds timeout);
  int fd() const { return fd_; }

 private:
  ControlClient(int fd, std::size_t max_frame_size) : fd_(fd), codec_(max_frame_size) {}
  Status receive(std::uint64_t request_id, Response& response, std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::uint64_t next_id_ = 1;
  FrameCodec codec_;
};

}  // namespace wacrm::control
