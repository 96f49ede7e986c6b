// The seven certificate checks of protocol notes 01 §2.5, each with a chain
// that violates exactly that check, plus the good chain.
#include <gtest/gtest.h>

#include "noise/cert_chain.h"
#include "noise_test_util.h"

namespace wacrm::noise {
namespace {

using testing::fresh_key_pair;

constexpr std::uint64_t kNow = 1'700'000'000;

class CertChainTest : public ::testing::Test {
 protected:
  KeyPair root = fresh_key_pair();
  KeyPair intermediate = fresh_key_pair();
  KeyPair server_static = fresh_key_pair();
  CertDetails inter_details{5, 0, intermediate.public_key(), kNow - 1000, kNow + 1000};
  CertDetails leaf_details{6, 5, server_static.public_key(), kNow - 100, kNow + 100};

  SignedCert sign(const SecretKey& key, const CertDetails& d) {
    auto cert = sign_cert(key, d);
    EXPECT_TRUE(cert) << cert.error().to_string();
    return *cert;
  }
  SignedCert good_intermediate() { return sign(root.private_key(), inter_details); }
  SignedCert good_leaf() { return sign(intermediate.private_key(), leaf_details); }

  Result<VerifiedCertChain> verify(const Bytes& chain) {
    return verify_cert_chain(chain, root.public_key(), server_static.public_key(), kNow);
  }
  void expect_failure(const Bytes& chain, Errc code, const std::string& fragment) {
    auto r = verify(chain);
    ASSERT_FALSE(r) << "expected failure containing '" << fragment << "'";
    EXPECT_EQ(r.error().code, code) << r.error().to_string();
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
  }
};

TEST_F(CertChainTest, GoodChainVerifies) {
  auto r = verify(encode_cert_chain(good_leaf(), good_intermediate()));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->intermediate.serial, 5u);
  EXPECT_EQ(r->leaf.issuer_serial, 5u);
  EXPECT_EQ(r->leaf.key, server_static.public_key());
}

TEST_F(CertChainTest, MakeCertChainBuildsAVerifiableChain) {
  auto chain = make_cert_chain(root.private_key(), intermediate, server_static.public_key(),
                               {.intermediate_serial = 11, .leaf_serial = 12, .not_before = kNow, .not_after = kNow});
  ASSERT_TRUE(chain);
  auto r = verify(*chain);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->leaf.serial, 12u);
  EXPECT_EQ(r->leaf.issuer_serial, 11u);
}

// Check 1: presence and signature length.
TEST_F(CertChainTest, Check1MissingPartsAndShortSignatures) {
  auto leaf = good_leaf();
  auto inter = good_intermediate();
  auto short_sig = inter;
  short_sig.signature.resize(63);
  expect_failure(encode_cert_chain(leaf, short_sig), Errc::malformed,
                 "intermediate certificate signature is 63 bytes, expected 64");
  auto no_details = leaf;
  no_details.details.clear();
  expect_failure(encode_cert_chain(no_details, inter), Errc::malformed, "leaf certificate has no details");
  expect_failure(Bytes{0x0a, 0x00}, Errc::malformed, "no intermediate certificate");  // leaf only
  expect_failure(Bytes{0xff}, Errc::malformed, "does not parse");
}

// Check 2: the root signed the intermediate.
TEST_F(CertChainTest, Check2IntermediateNotSignedByTheRoot) {
  auto other_root = fresh_key_pair();
  auto inter = sign(other_root.private_key(), inter_details);
  expect_failure(encode_cert_chain(good_leaf(), inter), Errc::crypto,
                 "intermediate certificate signature does not verify with the pinned root key");
}

// Check 3: intermediate issuer serial 0.
TEST_F(CertChainTest, Check3IntermediateIssuerSerialNotZero) {
  inter_details.issuer_serial = 1;
  expect_failure(encode_cert_chain(good_leaf(), good_intermediate()), Errc::protocol,
                 "intermediate certificate issuer serial is 1, expected 0");
}

// Check 4: the intermediate key signed the leaf (and is 32 bytes).
TEST_F(CertChainTest, Check4LeafNotSignedByTheIntermediate) {
  auto leaf = sign(fresh_key_pair().private_key(), leaf_details);
  expect_failure(encode_cert_chain(leaf, good_intermediate()), Errc::crypto,
                 "leaf certificate signature does not verify with the intermediate key");

  auto leaf_bad_sig = good_leaf();
  leaf_bad_sig.signature[10] ^= 0x01;
  expect_failure(encode_cert_chain(leaf_bad_sig, good_intermediate()), Errc::crypto,
                 "leaf certificate signature does not verify");
}

// Check 5: leaf issuer serial = intermediate serial.
TEST_F(CertChainTest, Check5LeafIssuerIsNotTheIntermediate) {
  leaf_details.issuer_serial = 99;
  expect_failure(encode_cert_chain(good_leaf(), good_intermediate()), Errc::protocol,
                 "leaf certificate issuer serial 99 does not match the intermediate serial 5");
}

// Check 6: leaf key = the server static key from the handshake.
TEST_F(CertChainTest, Check6LeafKeyIsNotTheServerStaticKey) {
  leaf_details.key = fresh_key_pair().public_key();
  expect_failure(encode_cert_chain(good_leaf(), good_intermediate()), Errc::crypto,
                 "is not the server static key");
}

// Check 7: validity windows, both certificates, both ends.
TEST_F(CertChainTest, Check7ValidityWindow) {
  auto chain = encode_cert_chain(good_leaf(), good_intermediate());
  auto expired = verify_cert_chain(chain, root.public_key(), server_static.public_key(), kNow + 101);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, Errc::protocol);
  EXPECT_NE(expired.error().message.find("leaf certificate is not valid now"), std::string::npos)
      << expired.error().message;

  auto early = verify_cert_chain(chain, root.public_key(), server_static.public_key(), kNow - 1001);
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message.find("intermediate certificate is not valid now"), std::string::npos)
      << early.error().message;

  // The bounds themselves are inside the window.
  EXPECT_TRUE(verify_cert_chain(chain, root.public_key(), server_static.public_key(), kNow + 100));
  EXPECT_TRUE(verify_cert_chain(chain, root.public_key(), server_static.public_key(), kNow - 100));
}

TEST_F(CertChainTest, TheNotesDummyChainFailsOurChecks) {
  // The §2.7 vector's 6-byte chain satisfies Baileys 6 (issuerSerial 0) but
  // not us.
  Bytes dummy = testing::hex("12040a021000");
  auto r = verify(dummy);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
}

TEST_F(CertChainTest, WrongPinnedRootRefusesAGoodChain) {
  auto chain = encode_cert_chain(good_leaf(), good_intermediate());
  auto r = verify_cert_chain(chain, fresh_key_pair().public_key(), server_static.public_key(), kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto);
}

}  // namespace
}  // namespace wacrm::noise
