#include "wasim/admin_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace wacrm::wasim {

namespace beast = boost::beast;
namespace http = boost::beast::http;

std::string url_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<AdminAnswer> AdminClient::call(std::string_view method, std::string_view target, const nlohmann::json& body,
                                      std::chrono::milliseconds timeout) const {
  constexpr std::string_view kScheme = "http://";
  if (!std::string_view(base_url_).starts_with(kScheme))
    return make_error(Errc::invalid_argument, "admin URL '" + base_url_ + "' is not http://HOST:PORT");
  std::string host_port = base_url_.substr(kScheme.size());
  if (auto slash = host_port.find('/'); slash != std::string::npos) host_port.resize(slash);
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos) return make_error(Errc::invalid_argument, "admin URL '" + base_url_ + "' has no port");

  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  boost::asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1), ec);
  if (ec) return make_error(Errc::unavailable, "cannot resolve '" + host_port + "': " + ec.message());

  http::request<http::string_body> request(http::string_to_verb(std::string(method)), std::string(target), 11);
  request.set(http::field::host, host_port);
  request.set(http::field::content_type, "application/json");
  if (!body.is_null()) request.body() = body.dump();
  request.prepare_payload();

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  Errc failure = Errc::unavailable;
  std::string failure_text;
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code connect_ec, const auto&) {
    if (connect_ec) {
      failure_text = "cannot connect to " + host_port + ": " + connect_ec.message();
      return;
    }
    http::async_write(stream, request, [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) {
        failure_text = "cannot send the request: " + write_ec.message();
        return;
      }
      http::async_read(stream, buffer, response, [&](beast::error_code read_ec, std::size_t) {
        if (read_ec) {
          failure = read_ec == beast::error::timeout ? Errc::timeout : Errc::unavailable;
          failure_text = "no answer: " + read_ec.message();
        }
      });
    });
  });
  io.run();
  if (!failure_text.empty()) return make_error(failure, failure_text);

  AdminAnswer answer;
  answer.status = static_cast<int>(response.result_int());
  if (!response.body().empty()) {
    answer.body = nlohmann::json::parse(response.body(), nullptr, false);
    if (answer.body.is_discarded()) return make_error(Errc::malformed, "the answer is not JSON");
  }
  return answer;
}

}  // namespace wacrm::wasim
