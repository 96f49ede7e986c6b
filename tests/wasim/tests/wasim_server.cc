#include "wasim/tests/wasim_server.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include <gtest/gtest.h>

#include "support/test_env.h"

namespace wacrm::wasim::testing {

namespace {

std::string fresh_dir(const std::string& tag) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("wasim-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + tag);
  std::filesystem::create_directories(dir);
  return dir.string();
}

wacrm::testing::Process start(const std::string& dir, const std::vector<std::string>& extra) {
  wacrm::testing::ProcessOptions options;
  options.argv = {WasimServer::binary(), "serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                  "--scenario", WasimServer::scenario("two-people.json"), "--log-level", "debug"};
  options.argv.insert(options.argv.end(), extra.begin(), extra.end());
  options.stdout_file = dir + "/stdout";
  options.stderr_file = dir + "/stderr";
  return wacrm::testing::Process::spawn(options);
}

}  // namespace

std::string WasimServer::binary() { return wacrm::testing::binary_dir() + "/tests/wasim/wasim"; }

std::string WasimServer::scenario(const std::string& name) {
  return wacrm::testing::source_dir() + "/tests/wasim/scenarios/" + name;
}

WasimServer::WasimServer(std::vector<std::string> extra_args, std::string tag)
    : dir_(fresh_dir(tag)), process_(start(dir_, extra_args)) {
  std::string line;
  bool ready = wacrm::testing::eventually(
      [&] {
        std::string out = wacrm::testing::read_file(dir_ + "/stdout");
        auto newline = out.find('\n');
        if (newline == std::string::npos) return !process_.running();
        line = out.substr(0, newline);
        return true;
      },
      std::chrono::seconds(20));
  ready_ = nlohmann::json::parse(line, nullptr, false);
  if (!ready || ready_.is_discarded() || ready_.value("event", "") != "ready")
    throw std::runtime_error("wasim did not start: " + line + "\n" + log());
  ws_url_ = ready_["ws_url"];
  admin_ = AdminClient(ready_["admin_url"]);
  Bytes root;
  if (!from_hex(ready_["noise_root_public_key"].get<std::string>(), root) || !noise::to_public_key(root, root_key_))
    throw std::runtime_error("bad root key in the ready line: " + line);
}

WasimServer::~WasimServer() {
  if (!stopped_) shutdown();
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
  else std::fprintf(stderr, "wasim log kept in %s\n", dir_.c_str());
}

std::optional<int> WasimServer::shutdown() {
  stopped_ = true;
  (void)admin_.post("/v1/shutdown", nlohmann::json::object(), std::chrono::seconds(5));
  auto code = process_.wait_for(std::chrono::seconds(10));
  if (!code) process_.signal(SIGKILL);
  return code;
}

nlohmann::json WasimServer::get(const std::string& target) {
  auto answer = admin_.get(target);
  if (!answer || !answer->ok()) {
    ADD_FAILURE() << "GET " << target << ": " << (answer ? answer->body.dump() : answer.error().to_string());
    return nullptr;
  }
  return answer->body;
}

nlohmann::json WasimServer::post(const std::string& target, const nlohmann::json& body) {
  auto answer = admin_.post(target, body);
  if (!answer || !answer->ok()) {
    ADD_FAILURE() << "POST " << target << ": " << (answer ? answer->body.dump() : answer.error().to_string());
    return nullptr;
  }
  return answer->body;
}

nlohmann::json WasimServer::wait_event(const std::string& query, std::uint64_t after, std::chrono::milliseconds timeout) {
  std::string target = "/v1/events?after=" + std::to_string(after) + "&limit=1&wait_ms=" +
                       std::to_string(timeout.count()) + (query.empty() ? "" : "&" + query);
  auto answer = admin_.get(target, timeout + std::chrono::seconds(5));
  if (!answer || !answer->ok() || answer->body["events"].empty()) return nullptr;
  return answer->body["events"][0];
}

std::uint64_t WasimServer::last_seq() { return get("/v1/status").value("last_seq", std::uint64_t{0}); }

std::string WasimServer::log() const { return wacrm::testing::read_file(dir_ + "/stderr"); }

}  // namespace wacrm::wasim::testing
