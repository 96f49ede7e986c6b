// libsignal-protocol-c's crypto provider on OpenSSL 3: random bytes,
// HMAC-SHA256, SHA-512 and AES (CBC with PKCS#5 padding, CTR) by key length.
//
// Algorithms are fetched once when the object is made: OpenSSL 3 looks an
// algorithm up by name on every implicit use, which would otherwise cost a
// fetch per HMAC (and libsignal runs several HMACs per message).
//
// Every callback catches everything and answers with an SG_ERR_* code; no
// exception crosses into the C library. Context owns one of these; the
// header is public for the known-answer tests.
#pragma once

#include <memory>

#include <signal_protocol.h>

#include "base/error.h"

namespace wacrm::signal {

class OpenSslCrypto {
 public:
  // Errc::internal when OpenSSL lacks one of the algorithms.
  static Result<std::unique_ptr<OpenSslCrypto>> create();
  ~OpenSslCrypto();
  OpenSslCrypto(const OpenSslCrypto&) = delete;
  OpenSslCrypto& operator=(const OpenSslCrypto&) = delete;

  // The callback table, with user_data pointing at this object (which must
  // outlive every use of the table).
  signal_crypto_provider provider();

  struct Algorithms;

 private:
  OpenSslCrypto();
  std::unique_ptr<Algorithms> algorithms_;
};

}  // namespace wacrm::signal
