#include "integration/link_fixture.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "support/test_env.h"

namespace wacrm::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A port the kernel just handed out, so wasim can listen on it across restarts.
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot find a free port");
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

// --- Wasim

Wasim::Wasim(fs::path dir) : dir_(std::move(dir)), port_(free_port()) { fs::create_directories(dir_); }

Wasim::~Wasim() {
  if (process_ && process_->running()) stop();
}

void Wasim::start(std::vector<std::string> extra) {
  ++starts_;
  auto out = (dir_ / ("stdout-" + std::to_string(starts_))).string();
  ProcessOptions options;
  options.argv = {binary_dir() + "/tests/wasim/wasim", "serve", "--listen", "127.0.0.1:" + std::to_string(port_),
                  "--admin", "127.0.0.1:0", "--state", (dir_ / "state.json").string(), "--scenario",
                  source_dir() + "/tests/wasim/scenarios/two-people.json", "--log-level", "debug"};
  options.argv.insert(options.argv.end(), extra.begin(), extra.end());
  options.stdout_file = out;
  options.stderr_file = (dir_ / ("stderr-" + std::to_string(starts_))).string();
  process_ = std::make_unique<Process>(Process::spawn(options));
  std::string line;
  bool ready = eventually(
      [&] {
        auto text = read_file(out);
        auto newline = text.find('\n');
        if (newline == std::string::npos) return !process_->running();
        line = text.substr(0, newline);
        return true;
      },
      20s);
  auto json = nlohmann::json::parse(line, nullptr, false);
  if (!ready || json.is_discarded() || json.value("event", "") != "ready")
    throw std::runtime_error("wasim did not start: " + line + "\n" + log());
  root_key_hex_ = json["noise_root_public_key"].get<std::string>();
  admin_ = std::make_unique<wasim::AdminClient>(json["admin_url"].get<std::string>());
}

void Wasim::stop() {
  if (!process_) return;
  if (admin_) (void)admin_->post("/v1/shutdown", nlohmann::json::object(), 5s);
  if (!process_->wait_for(15s)) {
    process_->signal(SIGKILL);
    process_->wait_for(5s);
  }
}

bool Wasim::running() { return process_ && process_->running(); }

std::string Wasim::log() const {
  std::string text;
  for (int i = 1; i <= starts_; ++i) text += read_file((dir_ / ("stderr-" + std::to_string(i))).string());
  return text;
}

nlohmann::json Wasim::get(const std::string& target) {
  auto answer = admin_->get(target);
  if (!answer || !answer->ok()) {
    ADD_FAILURE() << "GET " << target << ": " << (answer ? answer->body.dump() : answer.error().to_string());
    return nullptr;
  }
  return answer->body;
}

nlohmann::json Wasim::post(const std::string& target, const nlohmann::json& body) {
  auto answer = admin_->post(target, body, 60s);
  if (!answer || !answer->ok()) {
    ADD_FAILURE() << "POST " << target << ": " << (answer ? answer->body.dump() : answer.error().to_string());
    return nullptr;
  }
  return answer->body;
}

nlohmann::json Wasim::wait_event(const std::string& query, std::uint64_t after, std::chrono::milliseconds timeout) {
  std::string target = "/v1/events?after=" + std::to_string(after) + "&limit=1&wait_ms=" +
                       std::to_string(timeout.count()) + (query.empty() ? "" : "&" + query);
  auto answer = admin_->get(target, timeout + 5s);
  if (!answer || !answer->ok() || answer->body["events"].empty()) return nullptr;
  return answer->body["events"][0];
}

std::uint64_t Wasim::last_seq() {
  auto status = get("/v1/status");
  return status.is_null() ? 0 : status.value("last_seq", std::uint64_t{0});
}

// --- LinkTest

void LinkTest::SetUp() {
  char tmpl[] = "/tmp/wacrm-link-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  fs::permissions(dir_, fs::perms(0755));  // the unprivileged PostgreSQL reaches nothing here, but logs are kept
  socket_ = dir_ / "wacrmd.sock";
  conn_.emplace(db_.connect());
  wasim_ = std::make_unique<Wasim>(dir_ / "wasim");
  wasim_->start();
}

void LinkTest::TearDown() {
  if (daemon_) stop_daemon();
  if (HasFailure()) {
    std::cerr << "---- wacrmd log ----\n" << daemon_log() << "---- wasim log (tail) ----\n";
    auto log = wasim_ ? wasim_->log() : std::string();
    std::cerr << (log.size() > 20000 ? log.substr(log.size() - 20000) : log) << "--------------------\n";
  }
  wasim_.reset();
  conn_.reset();
  fs::remove_all(dir_);
}

void LinkTest::start_daemon() {
  daemon_ = spawn_daemon(socket_);
  ASSERT_TRUE(daemon_) << "wacrmd did not come up\n" << daemon_log();
}

std::unique_ptr<Process> LinkTest::spawn_daemon(const fs::path& socket) {
  auto config_file = dir_ / (socket.stem().string() + ".conf");
  {
    std::ofstream config(config_file);
    config << "state-dir = " << (dir_ / "state").string() << "\n"
           << "migrations-dir = " << (fs::path(source_dir()) / "migrations").string() << "\n"
           << "[database]\nurl = " << db_.conninfo() << "\n"
           << "[control]\nsocket = " << socket.string() << "\n"
           << "[log]\nlevel = debug\n"
           << "[whatsapp]\nurl = " << wasim_->ws_url() << "\nnoise-root-key = " << wasim_->root_key_hex() << "\n";
  }
  ProcessOptions options;
  options.argv = {binary_dir() + "/daemon/wacrmd", "--config", config_file.string()};
  options.stderr_file = (dir_ / ("wacrmd-" + std::to_string(++daemon_starts_) + ".log")).string();
  auto daemon = std::make_unique<Process>(Process::spawn(options));
  bool up = eventually([&] { return fs::exists(socket) || !daemon->running(); }, 60s);
  if (!up || !daemon->running()) return nullptr;
  return daemon;
}

int LinkTest::stop_daemon() {
  daemon_->signal(SIGTERM);
  auto code = daemon_->wait_for(60s);
  daemon_.reset();
  return code.value_or(-1);
}

std::string LinkTest::daemon_log() const {
  std::string text;
  for (int i = 1; i <= daemon_starts_; ++i)
    text += read_file((dir_ / ("wacrmd-" + std::to_string(i) + ".log")).string());
  return text;
}

CtlRun LinkTest::ctl(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  auto out = (dir_ / "ctl.out").string();
  auto err = (dir_ / "ctl.err").string();
  ProcessOptions options;
  options.argv = {binary_dir() + "/ctl/wacrmctl", "--socket", socket_.string()};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.stdout_file = out;
  options.stderr_file = err;
  auto process = Process::spawn(options);
  auto code = process.wait_for(timeout);
  EXPECT_TRUE(code) << "wacrmctl did not finish in time";
  return {code.value_or(-1), read_file(out), read_file(err)};
}

std::string LinkTest::first_qr(const std::string& json_lines) {
  std::size_t start = 0;
  while (start < json_lines.size()) {
    auto end = json_lines.find('\n', start);
    if (end == std::string::npos) break;  // a line still being written
    auto line = nlohmann::json::parse(json_lines.substr(start, end - start), nullptr, false);
    start = end + 1;
    if (line.is_object() && line.contains("state") && !line["state"].value("qr", "").empty())
      return line["state"]["qr"];
  }
  return {};
}

std::string LinkTest::link(const std::string& account, const std::string& phone) {
  // A fresh file per attempt: reading it must never find an earlier attempt's QR.
  static int attempts = 0;
  auto out = (dir_ / ("login-" + account + "-" + std::to_string(++attempts) + ".out")).string();
  ProcessOptions options;
  options.argv = {binary_dir() + "/ctl/wacrmctl", "--socket", socket_.string(), "--json", "login", account};
  options.stdout_file = out;
  options.stderr_file = out + ".err";
  auto login = Process::spawn(options);
  std::string qr;
  eventually([&] { return !(qr = first_qr(read_file(out))).empty() || !login.running(); }, 30s);
  if (qr.empty()) {
    ADD_FAILURE() << "no QR code from wacrmctl login\n" << read_file(out) << read_file(out + ".err");
    return {};
  }
  auto scanned = post_scan(phone, qr);
  auto code = login.wait_for(60s);
  EXPECT_EQ(code, 0) << read_file(out) << read_file(out + ".err");
  auto text = read_file(out);
  EXPECT_NE(text.find("PHASE_CONNECTED"), std::string::npos) << text;
  return scanned.is_object() ? scanned.value("device_jid", "") : "";
}

std::string LinkTest::add_linked(const std::string& account, const std::string& phone) {
  if (!daemon_) start_daemon();
  EXPECT_EQ(ctl({"account", "add", account}).code, 0);
  std::string jid = link(account, phone);
  EXPECT_FALSE(jid.empty());
  EXPECT_TRUE(wait_connected(account, true, 30s)) << account << " did not connect";
  return jid;
}

void LinkTest::add_chat(const std::string& account) {
  EXPECT_EQ(rows("INSERT INTO chats (account_id, jid) SELECT id, '15550009999@s.whatsapp.net' FROM accounts "
                 "WHERE name = '" + account + "' RETURNING id"),
            1);
}

nlohmann::json LinkTest::post_scan(const std::string& phone, const std::string& qr) {
  return wasim_->post("/v1/scan", {{"phone", phone}, {"qr", qr}});
}

nlohmann::json LinkTest::account_status(const std::string& account) {
  auto run = ctl({"--json", "status"});
  auto status = nlohmann::json::parse(run.out, nullptr, false);
  if (status.is_discarded() || !status.contains("accounts")) return nullptr;
  for (const auto& a : status["accounts"])
    if (a.value("name", "") == account) return a;
  return nullptr;
}

bool LinkTest::wait_connected(const std::string& account, bool connected, std::chrono::milliseconds timeout) {
  return eventually(
      [&] {
        auto a = account_status(account);
        return a.is_object() && a.value("connected", false) == connected;
      },
      timeout);
}

std::string LinkTest::link_state(const std::string& account) {
  auto r = conn_->exec("SELECT link_state FROM accounts WHERE name = $1", {store::pg_text(account)});
  return r && r->rows() == 1 ? std::string(r->text(0, 0)) : std::string();
}

bool LinkTest::has_credentials(const std::string& account) {
  return rows("SELECT 1 FROM device_credentials dc JOIN accounts a ON a.id = dc.account_id WHERE a.name = '" +
              account + "'") > 0;
}

std::int64_t LinkTest::rows(const std::string& sql) {
  auto r = conn_->exec(sql);
  EXPECT_TRUE(r) << sql << ": " << r.error().to_string();
  return r ? r->rows() : -1;
}

}  // namespace wacrm::testing
