// A blocking HTTP/JSON client for the admin API: the `wasim` subcommands and
// the C++ tests use it (the Node harness uses fetch()).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace wacrm::wasim {

struct AdminAnswer {
  int status = 0;
  nlohmann::json body;
  bool ok() const { return status >= 200 && status < 300; }
};

class AdminClient {
 public:
  // base_url: "http://127.0.0.1:PORT"
  explicit AdminClient(std::string base_url) : base_url_(std::move(base_url)) {}

  // One request on a fresh connection. Errc::unavailable when the server
  // cannot be reached, Errc::timeout after `timeout`, Errc::malformed for a
  // body that is not JSON. An HTTP error status is an answer, not an error.
  Result<AdminAnswer> call(std::string_view method, std::string_view target, const nlohmann::json& body = nullptr,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
  Result<AdminAnswer> get(std::string_view target, std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    return call("GET", target, nullptr, timeout);
  }
  Result<AdminAnswer> post(std::string_view target, const nlohmann::json& body,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    return call("POST", target, body, timeout);
  }

  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
};

// Percent-encodes a query value.
std::string url_encode(std::string_view value);

}  // namespace wacrm::wasim
