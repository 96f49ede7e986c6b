#include "wasim/serve.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "net/ws_server.h"
#include "signal/context.h"
#include "wasim/admin_api.h"
#include "wasim/admin_http.h"
#include "wasim/listener.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("wasim");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e wasim %l: %v");
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::debug);
}

std::string url_of(const char* scheme, const boost::asio::ip::tcp::endpoint& endpoint, const char* path) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return std::string(scheme) + host + ":" + std::to_string(endpoint.port()) + path;
}

}  // namespace

int run_serve(const ServerOptions& options) {
  setup_logging(options.log_level);
  auto signal_context = signal::Context::create();
  if (!signal_context) {
    spdlog::critical("Failed to set up libsignal: {}", signal_context.error().to_string());
    return 1;
  }
  boost::asio::io_context io;
  World world(io, options, std::move(*signal_context));
  if (auto ready = world.init(); !ready) {
    spdlog::critical("Failed to start: {}", ready.error().to_string());
    return 1;
  }

  auto ws_endpoint = loopback_endpoint(options.listen);
  if (!ws_endpoint) {
    spdlog::critical("Failed to open the WebSocket port: {}", ws_endpoint.error().to_string());
    return 1;
  }
  net::WsServerOptions ws_options;
  ws_options.bind_address = ws_endpoint->address().to_string();
  ws_options.port = ws_endpoint->port();
  ws_options.handshake_timeout = options.handshake_timeout;
  ws_options.idle_timeout = options.idle_timeout;
  auto ws_listener = net::WsListener::create(io, ws_options);
  if (!ws_listener) {
    spdlog::critical("Failed to open the WebSocket port: {}", ws_listener.error().to_string());
    return 1;
  }
  bool stopping = false;
  boost::asio::steady_timer stop_timer(io);
  AdminHttpServer* admin_server_ptr = nullptr;
  Listener* admin_listener_ptr = nullptr;
  auto shutdown = [&] {
    if (stopping) return;
    stopping = true;
    spdlog::info("shutting down");
    (*ws_listener)->stop();
    if (admin_listener_ptr) admin_listener_ptr->close();
    world.shutdown();
    // Let the last admin answers leave before the loop stops.
    stop_timer.expires_after(std::chrono::milliseconds(100));
    stop_timer.async_wait([&](boost::system::error_code) {
      if (admin_server_ptr) admin_server_ptr->close_all();
      io.stop();
    });
  };
  AdminApi api(world, [&io, &shutdown] { boost::asio::post(io, shutdown); });
  AdminHttpServer admin_server([&api](const AdminRequest& request, AdminReply reply) { api.handle(request, std::move(reply)); });
  Listener admin_listener(io, [&admin_server](boost::asio::ip::tcp::socket socket) { admin_server.serve(std::move(socket)); });
  admin_server_ptr = &admin_server;
  admin_listener_ptr = &admin_listener;

  (*ws_listener)->start([&world](std::shared_ptr<net::WsServerConnection> stream) { world.accept(std::move(stream)); },
                        [](const Error& error) { spdlog::info("WebSocket connection refused: {}", error.message); });
  if (auto opened = admin_listener.open(options.admin); !opened) {
    spdlog::critical("Failed to open the admin port: {}", opened.error().to_string());
    return 1;
  }
  std::string ws_url =
      url_of("ws://", boost::asio::ip::tcp::endpoint(ws_endpoint->address(), (*ws_listener)->port()), "/ws/chat");
  std::string admin_url = url_of("http://", admin_listener.endpoint(), "");
  world.set_urls(ws_url, admin_url);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) shutdown();
  });
  std::signal(SIGPIPE, SIG_IGN);

  nlohmann::json ready = {{"event", "ready"},
                          {"ws_url", ws_url},
                          {"admin_url", admin_url},
                          {"noise_root_public_key", to_hex(world.root_public_key())},
                          {"pid", static_cast<long>(::getpid())}};
  std::printf("%s\n", ready.dump().c_str());
  std::fflush(stdout);
  spdlog::info("ready: {} (admin {})", ws_url, admin_url);
  io.run();
  return 0;
}

}  // namespace wacrm::wasim
