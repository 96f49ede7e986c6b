// The daemon's control door without the daemon: a ControlServer on a Unix
// socket in a temporary directory, its methods run on a PgPool over the test
// database, and wacrmctl's command line (run_cli) talking to it. For tests of
// methods and verbs together; pass the registration of the methods under test.
#pragma once

#include <stdlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli.h"
#include "control/control_server.h"
#include "control/method_table.h"
#include "control/pool_runner.h"
#include "store/pg/pg_pool.h"

namespace wacrm::testing {

class ControlHarness {
 public:
  using Register = std::function<void(control::MethodTable&, control::PoolRunner&)>;

  struct Run {
    int code = 0;
    std::string out, err;
  };

  ControlHarness(store::PgConnection conn, const Register& register_methods) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wacrm-ctl-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    std::vector<store::PgConnection> conns;
    conns.push_back(std::move(conn));
    pool_ = std::make_unique<store::PgPool>(std::move(conns));
    runner_ = std::make_unique<control::PoolRunner>(*pool_, io_.get_executor());
    register_methods(methods_, *runner_);
    thread_ = std::thread([this] { io_.run(); });
    control::ControlServerOptions options;
    options.socket_path = socket();
    options.group = "no-such-group-wacrm-test";
    std::promise<Status> started;
    boost::asio::post(io_, [&] {
      server_ = std::make_unique<control::ControlServer>(io_, methods_, options);
      started.set_value(server_->start());
    });
    auto status = started.get_future().get();
    if (!status) throw std::runtime_error(status.error().to_string());
  }

  ~ControlHarness() {
    std::promise<void> stopped;
    boost::asio::post(io_, [&] {
      server_.reset();
      stopped.set_value();
    });
    stopped.get_future().get();
    pool_->shutdown();
    work_.reset();
    io_.stop();
    thread_.join();
    std::filesystem::remove_all(dir_);
  }

  ControlHarness(const ControlHarness&) = delete;
  ControlHarness& operator=(const ControlHarness&) = delete;

  std::filesystem::path socket() const { return dir_ / "wacrmd.sock"; }

  // wacrmctl --socket <ours> args...
  Run ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {"wacrmctl", "--socket", socket().string()});
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    int code = ctl::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
  }

 private:
  std::filesystem::path dir_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::thread thread_;
  std::unique_ptr<store::PgPool> pool_;
  std::unique_ptr<control::PoolRunner> runner_;
  control::MethodTable methods_;
  std::unique_ptr<control::ControlServer> server_;
};

}  // namespace wacrm::testing
