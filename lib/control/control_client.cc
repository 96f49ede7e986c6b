#include "control/control_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "control/envelope.pb.h"

namespace wacrm::control {
namespace {

using Clock = std::chrono::steady_clock;

// How often connect() is retried while the daemon's listen backlog is full.
constexpr int kConnectRetryMs = 10;

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits until fd is ready for `events` or the deadline passes.
Status wait_for(int fd, short events, Clock::time_point deadline, const char* what) {
  for (;;) {
    pollfd pfd{fd, events, 0};
    int n = ::poll(&pfd, 1, remaining_ms(deadline));
    if (n > 0) return {};
    if (n == 0) return make_error(Errc::timeout, std::string("no answer from wacrmd while ") + what);
    if (errno != EINTR) return make_error(Errc::internal, std::string("poll: ") + std::strerror(errno));
  }
}

Status write_all(int fd, const std::string& bytes, Clock::time_point deadline) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    WACRM_TRY(wait_for(fd, POLLOUT, deadline, "sending the request"));
    ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return make_error(Errc::unavailable, std::string("wacrmd closed the connection: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

Result<ControlClient> ControlClient::connect(const std::string& path, std::chrono::milliseconds timeout,
                                             std::size_t max_frame_size) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path))
    return make_error(Errc::invalid_argument, "socket path '" + path + "' is too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return make_error(Errc::internal, std::string("socket: ") + std::strerror(errno));
  ControlClient client(fd, max_frame_size);

  // EAGAIN: the listen backlog is full, the daemon is alive but busy. A Unix
  // socket's connect() does not complete in the background as TCP's does
  // (poll() would report it writable while still unconnected), so try again
  // until the deadline.
  const auto deadline = Clock::now() + timeout;
  int err = 0;
  for (;;) {
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) return client;
    err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN) break;
    if (Clock::now() >= deadline)
      return make_error(Errc::timeout, "wacrmd did not accept the connection on " + path + " in time (busy?)");
    ::poll(nullptr, 0, std::min(kConnectRetryMs, std::max(1, remaining_ms(deadline))));
  }
  switch (err) {
    case ENOENT:
      return make_error(Errc::unavailable, "no socket at " + path);
    case ECONNREFUSED:
      return make_error(Errc::unavailable, "nothing listens on " + path + " (stale socket file)");
    case EACCES:
    case EPERM:
      return make_error(Errc::permission_denied, "not allowed to open " + path);
    default:
      return make_error(Errc::unavailable, "cannot connect to " + path + ": " + std::strerror(err));
  }
}

ControlClient::ControlClient(ControlClient&& other) noexcept
    : fd_(other.fd_), next_id_(other.next_id_), codec_(std::move(other.codec_)) {
  other.fd_ = -1;
}

ControlClient::~ControlClient() {
  if (fd_ >= 0) ::close(fd_);
}

Status ControlClient::send_bytes(const std::string& bytes, std::chrono::milliseconds timeout) {
  return write_all(fd_, bytes, Clock::now() + timeout);
}

Status ControlClient::call(Request& request, Response& response, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  request.set_id(next_id_++);
  Frame out;
  *out.mutable_request() = request;
  std::string bytes = WACRM_TRY(codec_.encode(out));
  WACRM_TRY(write_all(fd_, bytes, deadline));
  return receive(request.id(), response, deadline);
}

Status ControlClient::read_more(std::uint64_t request_id, Response& response, std::chrono::milliseconds timeout) {
  return receive(request_id, response, Clock::now() + timeout);
}

Status ControlClient::receive(std::uint64_t request_id, Response& response, Clock::time_point deadline) {
  Frame in;
  for (;;) {
    bool got = WACRM_TRY(codec_.next(in));
    if (got) {
      // Events and responses to other requests are not for this call.
      if (in.has_response() && in.response().id() == request_id) {
        response = std::move(*in.mutable_response());
        return {};
      }
      continue;
    }
    WACRM_TRY(wait_for(fd_, POLLIN, deadline, "waiting for the response"));
    std::uint8_t chunk[16 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n == 0) return make_error(Errc::unavailable, "wacrmd closed the connection before answering");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return make_error(Errc::unavailable, std::string("reading from wacrmd: ") + std::strerror(errno));
    }
    codec_.feed(ByteView(chunk, static_cast<std::size_t>(n)));
  }
}

}  // namespace wacrm::control
