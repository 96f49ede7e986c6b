// A throwaway self-signed TLS certificate for the WebSocket tests, made with
// OpenSSL at run time (nothing secret is committed).
#pragma once

#include <string>

namespace wacrm::net::testing {

struct TestCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

// Self-signed, valid for an hour, subjectAltName = DNS:<dns_name> and
// IP:127.0.0.1. Throws on OpenSSL failure.
TestCertificate make_self_signed_certificate(const std::string& dns_name);

}  // namespace wacrm::net::testing
