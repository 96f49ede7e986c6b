#include "wasim/admin_http.h"

#include <optional>

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

namespace wacrm::wasim {

namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t kMaxBody = std::size_t{4} << 20;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

}  // namespace

void split_target(const std::string& target, std::string& path, std::map<std::string, std::string>& query) {
  auto question = target.find('?');
  path = percent_decode(target.substr(0, question));
  if (question == std::string::npos) return;
  std::string_view rest(target);
  rest.remove_prefix(question + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    if (!pair.empty())
      query[percent_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

class AdminHttpSession : public std::enable_shared_from_this<AdminHttpSession> {
 public:
  AdminHttpSession(boost::asio::ip::tcp::socket socket, AdminHttpServer& server)
      : stream_(std::move(socket)), server_(server) {}

  void start() { read(); }
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kMaxBody);
    stream_.expires_never();
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&AdminHttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return finish();
    auto request = parser_->release();
    keep_alive_ = request.keep_alive();
    AdminRequest admin;
    admin.method = std::string(request.method_string());
    split_target(std::string(request.target()), admin.path, admin.query);
    if (!request.body().empty()) {
      admin.body = nlohmann::json::parse(request.body(), nullptr, false);
      if (admin.body.is_discarded())
        return respond({400, {{"error", {{"code", "invalid_argument"}, {"message", "the body is not JSON"}}}}});
    }
    auto self = shared_from_this();
    server_.handler_(admin, [self](AdminResponse response) { self->respond(std::move(response)); });
  }

  void respond(AdminResponse response) {
    if (responded_) return;
    responded_ = true;
    auto reply = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), 11);
    reply->set(http::field::server, "wasim");
    reply->set(http::field::content_type, "application/json");
    reply->keep_alive(keep_alive_);
    reply->body() = response.body.dump() + "\n";
    reply->prepare_payload();
    http::async_write(stream_, *reply, [self = shared_from_this(), reply](beast::error_code ec, std::size_t) {
      if (ec || !self->keep_alive_) return self->finish();
      self->responded_ = false;
      self->read();
    });
  }

  void finish() {
    close();
    server_.sessions_.erase(shared_from_this());
  }

  beast::tcp_stream stream_;
  AdminHttpServer& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
  bool responded_ = false;
};

void AdminHttpServer::serve(boost::asio::ip::tcp::socket socket) {
  auto session = std::make_shared<AdminHttpSession>(std::move(socket), *this);
  sessions_.insert(session);
  session->start();
}

void AdminHttpServer::close_all() {
  auto open = std::move(sessions_);
  sessions_.clear();
  for (const auto& session : open) session->close();
}

}  // namespace wacrm::wasim
