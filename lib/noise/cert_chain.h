// The server's Noise certificate chain (ServerHello payload): verification
// against a pinned root key with all seven checks of protocol notes 01 §2.5,
// and a signer so wasim and tests can issue good and deliberately bad chains.
//
//   root --signs--> intermediate {serial S, issuer 0, key I}
//   I    --signs--> leaf         {serial L, issuer S, key = server static}
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/key_pair.h"
#include "noise/secret_key.h"
#include "noise/xeddsa.h"

namespace wacrm::noise {

// CertChain.NoiseCertificate.Details.
struct CertDetails {
  std::uint32_t serial = 0;
  std::uint32_t issuer_serial = 0;
  PublicKey key{};
  std::uint64_t not_before = 0;  // unix seconds
  std::uint64_t not_after = 0;   // unix seconds
};

// What a verified chain tells us.
struct VerifiedCertChain {
  CertDetails intermediate;
  CertDetails leaf;
};

// Checks, in order, failing on the first violation with a message that names
// it:
//  1. leaf and intermediate both carry details and a 64-byte signature;
//  2. the intermediate's signature verifies with root_key;
//  3. the intermediate's issuer serial is 0;
//  4. the intermediate key is 32 bytes and verifies the leaf's signature;
//  5. the leaf's issuer serial equals the intermediate's serial;
//  6. the leaf key equals the server static key from the handshake;
//  7. now_unix lies within [not_before, not_after] of both certificates.
// Errc::malformed for bytes that do not parse, Errc::crypto for signature and
// key failures, Errc::protocol for serial and validity violations.
Result<VerifiedCertChain> verify_cert_chain(ByteView chain, const PublicKey& root_key,
                                            const PublicKey& server_static, std::uint64_t now_unix);

// --- Issuing (responder side) ---

// One NoiseCertificate: the serialized details and the issuer's signature.
struct SignedCert {
  Bytes details;
  Bytes signature;
};

Bytes encode_cert_details(const CertDetails& details);
Result<SignedCert> sign_cert(const SecretKey& issuer_private, const CertDetails& details);
// Serializes a CertChain from two certificates (which may be deliberately
// broken, for tests).
Bytes encode_cert_chain(const SignedCert& leaf, const SignedCert& intermediate);

struct CertChainParams {
  std::uint32_t intermediate_serial = 1;
  std::uint32_t leaf_serial = 2;
  std::uint64_t not_before = 0;
  std::uint64_t not_after = 0;
};

// A well-formed chain: the intermediate (issuer serial 0, key =
// intermediate.public_key()) signed by root_private, the leaf (issuer serial =
// intermediate_serial, key = server_static) signed by the intermediate key.
Result<Bytes> make_cert_chain(const SecretKey& root_private, const KeyPair& intermediate,
                              const PublicKey& server_static, const CertChainParams& params);

}  // namespace wacrm::noise
