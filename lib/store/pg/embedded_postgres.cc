#include "store/pg/embedded_postgres.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <thread>

#include "store/pg/child_process.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The socket's name is .s.PGSQL.<port>; with no TCP listener the port only
// names the socket, so the default is fine even next to a system server.
constexpr int kPort = 5432;
// The cluster's superuser, created by initdb; we connect as it over the socket.
constexpr std::string_view kSuperuser = "wacrm";
constexpr milliseconds kInitdbMinTimeout{120'000};
constexpr milliseconds kKillWait{10'000};

std::string errno_text(int error) { return std::strerror(error); }

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// A value in a libpq connection string, quoted so paths with spaces work.
std::string conninfo_value(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The last lines of a log file, for error messages.
std::string log_tail(const fs::path& file, std::size_t max_lines = 15) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::streamoff>(in.tellg());
  in.seekg(std::max<std::streamoff>(0, size - 4096));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && text.back() == '\n') text.pop_back();
  std::size_t start = text.size();
  for (std::size_t lines = 0; start > 0 && lines < max_lines; ++lines) {
    start = text.rfind('\n', start - 1);
    if (start == std::string::npos) {
      start = 0;
      break;
    }
  }
  if (start > 0) ++start;
  return text.substr(start);
}

Error with_log(Errc code, std::string message, const fs::path& log) {
  std::string tail = log_tail(log);
  if (!tail.empty()) message += fmt::format("; last lines of '{}':\n{}", log.string(), tail);
  return Error{code, std::move(message)};
}

bool is_server_bindir(const fs::path& dir) {
  return access((dir / "postgres").c_str(), X_OK) == 0 && access((dir / "initdb").c_str(), X_OK) == 0;
}

Result<fs::path> find_bindir(const std::optional<fs::path>& wanted) {
  if (wanted) {
    if (!is_server_bindir(*wanted))
      return make_error(Errc::not_found,
                        fmt::format("no PostgreSQL server programs (postgres, initdb) in '{}'", wanted->string()));
    return *wanted;
  }
  if (FILE* pipe = popen("pg_config --bindir 2>/dev/null", "r")) {
    char line[4096] = {};
    bool got = fgets(line, sizeof line, pipe) != nullptr;
    pclose(pipe);
    std::string dir = got ? line : "";
    while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) dir.pop_back();
    if (!dir.empty() && is_server_bindir(dir)) return fs::path(dir);
  }
  // Debian installs each major version side by side; take the newest.
  std::optional<std::pair<int, fs::path>> newest;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string version = entry.path().filename().string();
    // A major version number; anything else (or too long a number) is not a server directory.
    int major = 0;
    auto [end, parsed] = std::from_chars(version.data(), version.data() + version.size(), major);
    if (version.empty() || parsed != std::errc() || end != version.data() + version.size() || major < 0) continue;
    if (!is_server_bindir(entry.path() / "bin")) continue;
    if (!newest || major > newest->first) newest = {major, entry.path() / "bin"};
  }
  if (newest) return newest->second;
  return make_error(Errc::not_found,
                    "no PostgreSQL server found (pg_config --bindir, /usr/lib/postgresql/*/bin): install "
                    "postgresql or set the server's bin directory");
}

Result<UserIdentity> choose_user(const std::optional<std::string>& wanted) {
  UserIdentity me = current_user();
  if (me.uid != 0) {
    if (wanted && *wanted != me.name)
      return make_error(Errc::permission_denied,
                        fmt::format("only root can run PostgreSQL as user '{}' (running as '{}')", *wanted, me.name));
    return me;
  }
  if (wanted) {
    auto user = WACRM_TRY(lookup_user(*wanted));
    if (user.uid == 0) return make_error(Errc::invalid_argument, "PostgreSQL refuses to run as root; name another user");
    return user;
  }
  for (const char* name : {"wacrm", "postgres"})
    if (auto user = lookup_user(name); user) return *user;
  return make_error(Errc::not_found,
                    "running as root, but neither user 'wacrm' nor 'postgres' exists to run PostgreSQL as: create "
                    "one (useradd --system wacrm)");
}

// Every directory above `dir` must let `user` through, or initdb and the
// server fail with a bare "Permission denied".
Status check_traversable(const fs::path& dir, const UserIdentity& user) {
  for (fs::path p = dir.parent_path(); !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (stat(p.c_str(), &st) != 0) break;
    mode_t bit = st.st_uid == user.uid ? S_IXUSR : st.st_gid == user.gid ? S_IXGRP : S_IXOTH;
    if ((st.st_mode & bit) == 0)
      return make_error(Errc::permission_denied,
                        fmt::format("user '{}' cannot reach '{}': '{}' is not searchable by it (chmod o+x, or "
                                    "put the state directory elsewhere)",
                                    user.name, dir.string(), p.string()));
    if (p == p.root_path()) break;
  }
  return {};
}

Status chown_tree(const fs::path& root, const UserIdentity& user) {
  auto change = [&](const fs::path& p) -> Status {
    if (lchown(p.c_str(), user.uid, user.gid) != 0)
      return make_error(Errc::permission_denied,
                        fmt::format("cannot give '{}' to user '{}': {}", p.string(), user.name, errno_text(errno)));
    return {};
  };
  WACRM_TRY(change(root));
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    WACRM_TRY(change(it->path()));
  if (ec) return make_error(Errc::internal, fmt::format("cannot walk '{}': {}", root.string(), ec.message()));
  return {};
}

// <state_dir>/postgres, mode 0700, owned by the user the server runs as.
Status prepare_postgres_dir(const fs::path& dir, const UserIdentity& user) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::permission_denied, fmt::format("cannot create '{}': {}", dir.string(), ec.message()));
  if (chmod(dir.c_str(), 0700) != 0)
    return make_error(Errc::permission_denied, fmt::format("cannot chmod '{}': {}", dir.string(), errno_text(errno)));
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0)
    return make_error(Errc::internal, fmt::format("cannot stat '{}': {}", dir.string(), errno_text(errno)));
  if (geteuid() != 0) {
    if (st.st_uid != user.uid)
      return make_error(Errc::permission_denied,
                        fmt::format("'{}' belongs to uid {}, not to '{}' who would run PostgreSQL", dir.string(),
                                    st.st_uid, user.name));
    return {};
  }
  // Also covers switching users, e.g. from 'postgres' to a 'wacrm' user created later.
  if (st.st_uid != user.uid) WACRM_TRY(chown_tree(dir, user));
  return check_traversable(dir, user);
}

// A postmaster.pid left by a server that is gone (crash, power loss) must not
// stop us. PostgreSQL ignores one whose pid is dead, but after a reboot the
// pid may belong to an unrelated process, and it then refuses to start. A
// postmaster always runs with its data directory as working directory, which
// tells ours apart from a reused pid.
Status check_not_running(const fs::path& data_dir, const fs::path& socket_dir) {
  std::ifstream in(data_dir / "postmaster.pid");
  if (!in) return {};
  long pid = 0;
  in >> pid;
  if (pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) {
    std::error_code ec;
    fs::path cwd = fs::read_symlink(fmt::format("/proc/{}/cwd", pid), ec);
    if (!ec && cwd == data_dir)
      return make_error(Errc::already_exists, fmt::format("PostgreSQL is already running on '{}' (pid {})",
                                                          data_dir.string(), pid));
  }
  std::error_code ignored;
  fs::remove(data_dir / "postmaster.pid", ignored);
  fs::remove(socket_dir / fmt::format(".s.PGSQL.{}.lock", kPort), ignored);
  return {};
}

Result<UniqueFd> open_log(const fs::path& file, const UserIdentity& user, bool keep_previous) {
  if (keep_previous) {
    std::error_code ignored;
    fs::rename(file, fs::path(file).concat(".1"), ignored);
  }
  UniqueFd fd(open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0)
    return make_error(Errc::permission_denied, fmt::format("cannot open '{}': {}", file.string(), errno_text(errno)));
  if (geteuid() == 0 && fchown(fd.get(), user.uid, user.gid) != 0)
    return make_error(Errc::permission_denied, fmt::format("cannot chown '{}': {}", file.string(), errno_text(errno)));
  return fd;
}

std::optional<UserIdentity> switch_to(const UserIdentity& user) {
  if (geteuid() == 0) return user;
  return std::nullopt;
}

// initdb into a temporary directory renamed into place on success, so an
// interrupted initdb never leaves a half-made data directory behind.
Status run_initdb(const fs::path& bindir, const fs::path& pg_dir, const fs::path& data_dir, const UserIdentity& user,
                  milliseconds timeout) {
  std::error_code ec;
  if (fs::exists(data_dir, ec) && !fs::is_empty(data_dir, ec))
    return make_error(Errc::conflict, fmt::format("'{}' exists but is not a PostgreSQL data directory (no "
                                                  "PG_VERSION); move it away",
                                                  data_dir.string()));
  fs::path staging = pg_dir / "data.initdb";
  fs::remove_all(staging, ec);
  fs::path log = pg_dir / "initdb.log";
  auto log_fd = WACRM_TRY(open_log(log, user, false));
  ChildOptions child;
  child.program = bindir / "initdb";
  child.args = {"-D", staging.string(), "-U", std::string(kSuperuser), "--auth-local=trust", "--auth-host=reject",
                "-E", "UTF8", "--locale=C.UTF-8"};
  child.working_dir = pg_dir;
  child.output_fd = log_fd.get();
  child.run_as = switch_to(user);
  child.parent_death_signal = SIGKILL;
  pid_t pid = WACRM_TRY(spawn_child(child));
  auto status = wait_child(pid, std::max(timeout, kInitdbMinTimeout));
  if (!status) {
    kill(pid, SIGKILL);
    (void)wait_child(pid, kKillWait);
    return std::unexpected(with_log(Errc::timeout, fmt::format("initdb of '{}' did not finish", data_dir.string()), log));
  }
  if (*status != 0)
    return std::unexpected(with_log(Errc::internal,
                                    fmt::format("initdb of '{}' {}", data_dir.string(), describe_wait_status(*status)),
                                    log));
  fs::rename(staging, data_dir, ec);
  if (ec)
    return make_error(Errc::internal, fmt::format("cannot move '{}' to '{}': {}", staging.string(), data_dir.string(),
                                                  ec.message()));
  return {};
}

Status check_database_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!ok)
    return make_error(Errc::invalid_argument,
                      fmt::format("database name '{}': use 1 to 63 letters, digits or '_'", name));
  return {};
}

Status ensure_database(const std::string& admin_conninfo, const std::string& name) {
  auto conn = WACRM_TRY(PgConnection::connect(admin_conninfo));
  auto found = WACRM_TRY(conn.exec("SELECT 1 FROM pg_database WHERE datname = $1", {pg_text(name)}));
  if (found.rows() == 0) WACRM_TRY(conn.exec(fmt::format("CREATE DATABASE \"{}\"", name)));
  return {};
}

}  // namespace

Result<EmbeddedPostgres> EmbeddedPostgres::start(Options options) {
  if (options.state_dir.empty()) return make_error(Errc::invalid_argument, "no state directory given for PostgreSQL");
  WACRM_TRY(check_database_name(options.database));
  auto bindir = WACRM_TRY(find_bindir(options.pg_bindir));
  auto user = WACRM_TRY(choose_user(options.run_as_user));

  std::error_code ec;
  fs::create_directories(options.state_dir, ec);
  fs::path state_dir = fs::weakly_canonical(fs::absolute(options.state_dir), ec);
  if (ec)
    return make_error(Errc::permission_denied,
                      fmt::format("cannot use state directory '{}': {}", options.state_dir.string(), ec.message()));
  fs::path pg_dir = state_dir / "postgres";
  fs::path data_dir = pg_dir / "data";
  fs::path socket = pg_dir / fmt::format(".s.PGSQL.{}", kPort);
  if (socket.native().size() >= sizeof(sockaddr_un{}.sun_path))
    return make_error(Errc::invalid_argument,
                      fmt::format("state directory '{}' is too long: the socket path '{}' must be under {} bytes",
                                  state_dir.string(), socket.string(), sizeof(sockaddr_un{}.sun_path)));

  WACRM_TRY(prepare_postgres_dir(pg_dir, user));
  WACRM_TRY(check_not_running(data_dir, pg_dir));
  if (!fs::exists(data_dir / "PG_VERSION", ec))
    WACRM_TRY(run_initdb(bindir, pg_dir, data_dir, user, options.startup_timeout));

  EmbeddedPostgres server;
  server.socket_dir_ = pg_dir;
  server.data_dir_ = data_dir;
  server.log_file_ = pg_dir / "server.log";
  server.superuser_ = kSuperuser;
  server.stop_timeout_ = options.stop_timeout;
  server.conninfo_ = server.conninfo_for(options.database);

  auto log_fd = WACRM_TRY(open_log(server.log_file_, user, true));
  ChildOptions child;
  child.program = bindir / "postgres";
  child.args = {"-D", data_dir.string(), "-k", pg_dir.string(), "-p", std::to_string(kPort),
                "-c", "listen_addresses="};
  for (const auto& [name, value] : options.settings) {
    child.args.push_back("-c");
    child.args.push_back(name + "=" + value);
  }
  child.working_dir = pg_dir;
  child.output_fd = log_fd.get();
  child.run_as = switch_to(user);
  child.parent_death_signal = SIGINT;
  server.pid_ = WACRM_TRY(spawn_child(child));

  // Ready when it answers on the socket; give up early if it exits.
  const std::string ping_conninfo = server.conninfo_for("postgres") + " connect_timeout=2";
  const auto deadline = Clock::now() + options.startup_timeout;
  for (;;) {
    if (auto status = wait_child(server.pid_, milliseconds(0))) {
      server.pid_ = 0;
      return std::unexpected(with_log(
          Errc::unavailable,
          fmt::format("PostgreSQL on '{}' {} while starting", data_dir.string(), describe_wait_status(*status)),
          server.log_file_));
    }
    if (PQping(ping_conninfo.c_str()) == PQPING_OK) break;
    if (Clock::now() >= deadline) {
      (void)server.stop();
      return std::unexpected(with_log(Errc::timeout,
                                      fmt::format("PostgreSQL on '{}' did not accept connections within {} ms",
                                                  data_dir.string(), options.startup_timeout.count()),
                                      server.log_file_));
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  if (auto r = ensure_database(server.conninfo_for("postgres"), options.database); !r) {
    (void)server.stop();
    return make_error(r.error().code, fmt::format("cannot create database '{}' in '{}': {}", options.database,
                                                  data_dir.string(), r.error().message));
  }
  return server;
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgres&& other) noexcept
    : socket_dir_(std::move(other.socket_dir_)),
      data_dir_(std::move(other.data_dir_)),
      log_file_(std::move(other.log_file_)),
      superuser_(std::move(other.superuser_)),
      conninfo_(std::move(other.conninfo_)),
      stop_timeout_(other.stop_timeout_),
      pid_(std::exchange(other.pid_, 0)) {}

EmbeddedPostgres& EmbeddedPostgres::operator=(EmbeddedPostgres&& other) noexcept {
  if (this != &other) {
    (void)stop();
    socket_dir_ = std::move(other.socket_dir_);
    data_dir_ = std::move(other.data_dir_);
    log_file_ = std::move(other.log_file_);
    superuser_ = std::move(other.superuser_);
    conninfo_ = std::move(other.conninfo_);
    stop_timeout_ = other.stop_timeout_;
    pid_ = std::exchange(other.pid_, 0);
  }
  return *this;
}

EmbeddedPostgres::~EmbeddedPostgres() { (void)stop(); }

std::string EmbeddedPostgres::conninfo_for(std::string_view database) const {
  return fmt::format("host={} port={} user={} dbname={}", conninfo_value(socket_dir_.string()), kPort,
                     conninfo_value(superuser_), conninfo_value(database));
}

Status EmbeddedPostgres::stop() {
  if (pid_ <= 0) return {};
  pid_t pid = std::exchange(pid_, 0);
  kill(pid, SIGINT);
  if (wait_child(pid, stop_timeout_)) return {};
  kill(pid, SIGKILL);
  (void)wait_child(pid, kKillWait);
  return make_error(Errc::timeout, fmt::format("PostgreSQL on '{}' did not stop within {} ms and was killed",
                                               data_dir_.string(), stop_timeout_.count()));
}

}  // namespace wacrm::store
