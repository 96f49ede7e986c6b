// The admin API's HTTP side: HTTP/1.1 with keep-alive on loopback, JSON in
// and out, one request at a time per connection. A handler answers through
// a callback, so it may answer later (long-polls) without blocking the loop.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

namespace wacrm::wasim {

struct AdminRequest {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // without the query
  std::map<std::string, std::string> query;
  nlohmann::json body;  // null when empty
};

struct AdminResponse {
  int status = 200;
  nlohmann::json body;
};

using AdminReply = std::function<void(AdminResponse)>;
using AdminHandler = std::function<void(const AdminRequest&, AdminReply)>;

class AdminHttpSession;

class AdminHttpServer {
 public:
  explicit AdminHttpServer(AdminHandler handler) : handler_(std::move(handler)) {}
  // Serves one accepted connection.
  void serve(boost::asio::ip::tcp::socket socket);
  // Closes every open connection.
  void close_all();

 private:
  friend class AdminHttpSession;
  AdminHandler handler_;
  std::set<std::shared_ptr<AdminHttpSession>> sessions_;
};

// Splits "/path?a=1&b=x%20y" (percent-decoding the values).
void split_target(const std::string& target, std::string& path, std::map<std::string, std::string>& query);

}  // namespace wacrm::wasim
