#include "control/control_server.h"

#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cerrno>
#include <cstring>
#include <map>

#include "control/control_session.h"
#include "control/method_table.h"
#include "control/peer_credentials.h"

namespace wacrm::control {

namespace asio = boost::asio;
using stream_protocol = asio::local::stream_protocol;
namespace fs = std::filesystem;

namespace {

std::string errno_text() { return std::strerror(errno); }

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

// True when something accepts connections on path.
bool someone_listens(const fs::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

struct ControlServer::Impl : SessionHost, std::enable_shared_from_this<ControlServer::Impl> {
  Impl(asio::io_context& io, const MethodTable& methods, ControlServerOptions options)
      : io(io), table(methods), options(std::move(options)), admin(this->options.group), acceptor(io),
        drain_timer(io), accept_retry_timer(io) {}

  asio::io_context& io;
  const MethodTable& table;
  ControlServerOptions options;
  AdminPolicy admin;
  stream_protocol::acceptor acceptor;
  ino_t socket_inode = 0;
  bool accepting = false;
  bool accept_failing = false;
  std::uint64_t next_session_id = 1;
  std::map<std::uint64_t, std::shared_ptr<ControlSession>> sessions;
  std::size_t requests_in_flight = 0;
  asio::steady_timer drain_timer;
  asio::steady_timer accept_retry_timer;
  std::function<void(std::size_t)> drain_done;

  const MethodTable& methods() const override { return table; }
  const AdminPolicy& policy() const override { return admin; }
  void request_started() override { ++requests_in_flight; }
  void request_finished() override {
    --requests_in_flight;
    // Posted: this runs inside a session's close() or write handler.
    if (requests_in_flight == 0 && drain_done)
      asio::post(io, [self = shared_from_this()] { self->finish_drain(); });
  }
  void session_closed(std::uint64_t id) override { sessions.erase(id); }
  void warn(const std::string& message) override {
    if (options.on_warning) options.on_warning(message);
  }

  Status prepare_directory() {
    const fs::path dir = options.socket_path.parent_path();
    if (dir.empty()) return {};
    std::error_code ec;
    if (fs::exists(dir, ec)) return {};
    fs::create_directories(dir, ec);
    if (ec) return make_error(Errc::unavailable, "cannot create '" + dir.string() + "': " + ec.message());
    // rwxr-x---: the control group must be able to reach the socket inside.
    ::chmod(dir.c_str(), 0750);
    if (auto gid = group_id(options.group)) (void)::chown(dir.c_str(), static_cast<uid_t>(-1), *gid);
    return {};
  }

  Status remove_stale_socket() {
    struct stat st{};
    if (::lstat(options.socket_path.c_str(), &st) != 0) return {};
    if (!S_ISSOCK(st.st_mode))
      return make_error(Errc::already_exists, "'" + options.socket_path.string() + "' exists and is not a socket");
    if (someone_listens(options.socket_path))
      return make_error(Errc::already_exists,
                        "another process (another wacrmd?) listens on '" + options.socket_path.string() + "'");
    if (::unlink(options.socket_path.c_str()) != 0)
      return make_error(Errc::unavailable,
                        "cannot remove stale socket '" + options.socket_path.string() + "': " + errno_text());
    return {};
  }

  Status listen() {
    const std::string& path = options.socket_path.string();
    if (path.size() + 4 >= sizeof(sockaddr_un::sun_path))
      return make_error(Errc::invalid_argument, "socket path '" + path + "' is too long");
    WACRM_TRY(prepare_directory());
    WACRM_TRY(remove_stale_socket());
    // Bind and set up under a temporary name, then rename into place: the
    // socket appears only once it has its final mode and group and listens,
    // so a client never meets a half-made socket.
    const std::string temporary = path + ".new";
    ::unlink(temporary.c_str());
    boost::system::error_code ec;
    acceptor.open(stream_protocol(), ec);
    if (!ec) acceptor.bind(stream_protocol::endpoint(temporary), ec);
    if (ec) return make_error(Errc::unavailable, "cannot bind '" + temporary + "': " + ec.message());
    auto fail = [&](Errc code, const std::string& what) {
      ::unlink(temporary.c_str());
      acceptor.close(ec);
      return make_error(code, what + ": " + errno_text());
    };
    // Connecting needs write permission on the file: owner and group only.
    if (::chmod(temporary.c_str(), 0660) != 0) return fail(Errc::unavailable, "cannot chmod '" + temporary + "'");
    if (auto gid = group_id(options.group)) {
      if (::chown(temporary.c_str(), static_cast<uid_t>(-1), *gid) != 0)
        return fail(Errc::permission_denied, "cannot give '" + temporary + "' to group '" + options.group + "'");
    }
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail(Errc::unavailable, "cannot listen on '" + temporary + "'");
    struct stat st{};
    if (::stat(temporary.c_str(), &st) == 0) socket_inode = st.st_ino;
    if (::rename(temporary.c_str(), path.c_str()) != 0) return fail(Errc::unavailable, "cannot move socket to '" + path + "'");
    accepting = true;
    accept();
    return {};
  }

  void accept() {
    acceptor.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                      stream_protocol::socket socket) {
      if (!self->accepting) return;
      if (ec) return self->accept_later(ec);
      self->accept_failing = false;
      self->admit(std::move(socket));
      self->accept();
    });
  }

  // accept() fails at once for as long as its cause lasts (EMFILE: out of
  // file descriptors); retrying immediately would spin the loop at full CPU.
  void accept_later(const boost::system::error_code& ec) {
    if (!accept_failing)  // once per run of failures, not ten times a second
      warn("accepting a control connection failed, retrying every " + std::to_string(kAcceptRetryDelay.count()) +
           " ms: " + ec.message());
    accept_failing = true;
    accept_retry_timer.expires_after(kAcceptRetryDelay);
    accept_retry_timer.async_wait([self = shared_from_this()](const boost::system::error_code& wait_ec) {
      if (!wait_ec && self->accepting) self->accept();
    });
  }

  void admit(stream_protocol::socket socket) {
    if (sessions.size() >= options.max_connections) {
      warn("refused a control connection: " + std::to_string(sessions.size()) + " already open");
      return;  // the socket closes as it goes out of scope
    }
    SessionLimits limits{options.max_frame_size, options.read_timeout, options.max_in_flight_per_connection};
    auto id = next_session_id++;
    auto session = std::make_shared<ControlSession>(id, std::move(socket), shared_from_this(), limits);
    sessions.emplace(id, session);
    session->start();
  }

  void stop_accepting() {
    if (!accepting) return;
    accepting = false;
    boost::system::error_code ignored;
    accept_retry_timer.cancel();
    acceptor.close(ignored);
    // Remove the file only if it is still the one we bound (not a successor's).
    struct stat st{};
    if (::lstat(options.socket_path.c_str(), &st) == 0 && st.st_ino == socket_inode)
      ::unlink(options.socket_path.c_str());
  }

  void drain(std::chrono::milliseconds deadline, std::function<void(std::size_t)> done) {
    drain_done = std::move(done);
    if (requests_in_flight == 0) {
      asio::post(io, [self = shared_from_this()] { self->finish_drain(); });
      return;
    }
    drain_timer.expires_after(deadline);
    drain_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->finish_drain();
    });
  }

  void finish_drain() {
    if (!drain_done) return;
    auto done = std::move(drain_done);
    drain_done = nullptr;
    drain_timer.cancel();
    auto unfinished = requests_in_flight;
    auto open = sessions;  // close() erases from the map
    for (auto& [id, session] : open) session->close();
    done(unfinished);
  }
};

ControlServer::ControlServer(asio::io_context& io, const MethodTable& methods, ControlServerOptions options)
    : impl_(std::make_shared<Impl>(io, methods, std::move(options))) {}

ControlServer::~ControlServer() {
  impl_->stop_accepting();
  auto open = impl_->sessions;
  for (auto& [id, session] : open) session->close();
}

Status ControlServer::start() { return impl_->listen(); }
void ControlServer::stop_accepting() { impl_->stop_accepting(); }
void ControlServer::drain(std::chrono::milliseconds deadline, std::function<void(std::size_t)> done) {
  impl_->drain(deadline, std::move(done));
}
std::size_t ControlServer::in_flight() const { return impl_->requests_in_flight; }
std::size_t ControlServer::connections() const { return impl_->sessions.size(); }

}  // namespace wacrm::control
