#include "noise/cert_chain.h"

#include <string>

#include "wa/cert.pb.h"

namespace wacrm::noise {
namespace {

using wa::CertChain;

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

Status check_present(const CertChain& chain, bool leaf) {
  const char* name = leaf ? "leaf" : "intermediate";
  bool has = leaf ? chain.has_leaf() : chain.has_intermediate();
  if (!has) return make_error(Errc::malformed, std::string("certificate chain has no ") + name + " certificate");
  const auto& cert = leaf ? chain.leaf() : chain.intermediate();
  if (!cert.has_details() || cert.details().empty())
    return make_error(Errc::malformed, std::string(name) + " certificate has no details");
  if (cert.signature().size() != kSignatureSize)
    return make_error(Errc::malformed, std::string(name) + " certificate signature is " +
                                           std::to_string(cert.signature().size()) + " bytes, expected 64");
  return {};
}

using ProtoDetails = CertChain::NoiseCertificate::Details;

Result<ProtoDetails> parse_details(const std::string& bytes, const char* name) {
  ProtoDetails d;
  if (!d.ParseFromString(bytes))
    return make_error(Errc::malformed, std::string(name) + " certificate details do not parse");
  return d;
}

// Only called once the key length was checked.
CertDetails to_cert_details(const ProtoDetails& d) {
  CertDetails out{d.serial(), d.issuer_serial(), {}, d.not_before(), d.not_after()};
  to_public_key(as_bytes(d.key()), out.key);
  return out;
}

Status check_validity(const CertDetails& d, const char* name, std::uint64_t now) {
  if (now < d.not_before || now > d.not_after)
    return make_error(Errc::protocol, std::string(name) + " certificate is not valid now (" + std::to_string(now) +
                                          "; valid from " + std::to_string(d.not_before) + " to " +
                                          std::to_string(d.not_after) + ")");
  return {};
}

}  // namespace

Result<VerifiedCertChain> verify_cert_chain(ByteView chain_bytes, const PublicKey& root_key,
                                            const PublicKey& server_static, std::uint64_t now_unix) {
  CertChain chain;
  if (chain_bytes.size() > static_cast<std::size_t>(INT32_MAX) ||
      !chain.ParseFromArray(chain_bytes.data(), static_cast<int>(chain_bytes.size())))
    return make_error(Errc::malformed, "certificate chain does not parse as a CertChain protobuf");

  // 1. Both certificates complete.
  WACRM_TRY(check_present(chain, false));
  WACRM_TRY(check_present(chain, true));
  const auto& inter_cert = chain.intermediate();
  const auto& leaf_cert = chain.leaf();

  // 2. The pinned root signed the intermediate.
  if (!xeddsa_verify(root_key, as_bytes(inter_cert.details()), as_bytes(inter_cert.signature())))
    return make_error(Errc::crypto, "intermediate certificate signature does not verify with the pinned root key " +
                                        to_hex(root_key));

  // 3. The intermediate is issued by the root (serial 0).
  auto inter = WACRM_TRY(parse_details(inter_cert.details(), "intermediate"));
  if (inter.issuer_serial() != 0)
    return make_error(Errc::protocol, "intermediate certificate issuer serial is " +
                                          std::to_string(inter.issuer_serial()) + ", expected 0 (the root)");

  // 4. The intermediate key signed the leaf.
  if (inter.key().size() != kKeySize)
    return make_error(Errc::crypto, "intermediate certificate key is " + std::to_string(inter.key().size()) +
                                        " bytes, expected 32");
  VerifiedCertChain out;
  out.intermediate = to_cert_details(inter);
  if (!xeddsa_verify(out.intermediate.key, as_bytes(leaf_cert.details()), as_bytes(leaf_cert.signature())))
    return make_error(Errc::crypto, "leaf certificate signature does not verify with the intermediate key");

  // 5. The leaf names the intermediate as its issuer.
  auto leaf = WACRM_TRY(parse_details(leaf_cert.details(), "leaf"));
  if (leaf.issuer_serial() != inter.serial())
    return make_error(Errc::protocol, "leaf certificate issuer serial " + std::to_string(leaf.issuer_serial()) +
                                          " does not match the intermediate serial " + std::to_string(inter.serial()));

  // 6. The leaf certifies the key the server proved it holds in the handshake.
  if (!equal_constant_time(as_bytes(leaf.key()), server_static))
    return make_error(Errc::crypto, "leaf certificate key " + to_hex(as_bytes(leaf.key())) +
                                        " is not the server static key " + to_hex(server_static));
  out.leaf = to_cert_details(leaf);

  // 7. Both certificates valid now.
  WACRM_TRY(check_validity(out.intermediate, "intermediate", now_unix));
  WACRM_TRY(check_validity(out.leaf, "leaf", now_unix));
  return out;
}

Bytes encode_cert_details(const CertDetails& details) {
  CertChain::NoiseCertificate::Details d;
  d.set_serial(details.serial);
  d.set_issuer_serial(details.issuer_serial);
  d.set_key(details.key.data(), details.key.size());
  d.set_not_before(details.not_before);
  d.set_not_after(details.not_after);
  return to_bytes(d.SerializeAsString());
}

Result<SignedCert> sign_cert(const SecretKey& issuer_private, const CertDetails& details) {
  SignedCert cert;
  cert.details = encode_cert_details(details);
  auto signature = WACRM_TRY(xeddsa_sign(issuer_private, cert.details));
  cert.signature.assign(signature.begin(), signature.end());
  return cert;
}

Bytes encode_cert_chain(const SignedCert& leaf, const SignedCert& intermediate) {
  CertChain chain;
  auto fill = [](CertChain::NoiseCertificate* cert, const SignedCert& from) {
    cert->set_details(from.details.data(), from.details.size());
    cert->set_signature(from.signature.data(), from.signature.size());
  };
  fill(chain.mutable_leaf(), leaf);
  fill(chain.mutable_intermediate(), intermediate);
  return to_bytes(chain.SerializeAsString());
}

Result<Bytes> make_cert_chain(const SecretKey& root_private, const KeyPair& intermediate,
                              const PublicKey& server_static, const CertChainParams& params) {
  CertDetails inter{params.intermediate_serial, 0, intermediate.public_key(), params.not_before, params.not_after};
  CertDetails leaf{params.leaf_serial, params.intermediate_serial, server_static, params.not_before,
                   params.not_after};
  auto inter_cert = WACRM_TRY(sign_cert(root_private, inter));
  auto leaf_cert = WACRM_TRY(sign_cert(intermediate.private_key(), leaf));
  return encode_cert_chain(leaf_cert, inter_cert);
}

}  // namespace wacrm::noise
